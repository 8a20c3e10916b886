import { EntitySchema } from 'typeorm';
import { type JsonObject, jsonText } from './json-text.js';

export interface UserRow {
  id: string;
  name: string;
  domain_id: string;
  /** password hash (password-hasher.ts); null = the user cannot authenticate with a password. */
  password_hash: string | null;
  enabled: boolean;
  default_project_id: string | null;
  /** email, description and any other attribute the client sent. */
  extra: JsonObject;
  created_at: string;
}

export const UserEntity = new EntitySchema<UserRow>({
  name: 'IdentityUser',
  tableName: 'identity_users',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    name: { type: 'varchar', length: 255 },
    domain_id: { type: 'varchar', length: 64 },
    password_hash: { type: 'varchar', length: 255, nullable: true },
    enabled: { type: 'boolean' },
    default_project_id: { type: 'varchar', length: 64, nullable: true },
    extra: { type: 'text', transformer: jsonText<JsonObject>({}) },
    created_at: { type: 'varchar', length: 32 },
  },
  uniques: [{ name: 'uq_identity_users_domain_name', columns: ['domain_id', 'name'] }],
});
