import { EntitySchema } from 'typeorm';
import { jsonText } from './json-text.js';
import type { RoleRef } from './token.entity.js';

/** A user's delegation of some of its roles on one project to a secret (keystone's application_credential). */
export interface ApplicationCredentialRow {
  id: string;
  name: string;
  user_id: string;
  project_id: string;
  description: string | null;
  /** bcrypt hash of the secret, which is shown once, at creation. */
  secret_hash: string;
  /** Keystone format, or null for no expiry. */
  expires_at: string | null;
  unrestricted: boolean;
  /** The roles delegated (the creator's own roles on the project by default). */
  roles: RoleRef[];
}

export const ApplicationCredentialEntity = new EntitySchema<ApplicationCredentialRow>({
  name: 'IdentityApplicationCredential',
  tableName: 'identity_application_credentials',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    name: { type: 'varchar', length: 255 },
    user_id: { type: 'varchar', length: 64 },
    project_id: { type: 'varchar', length: 64 },
    description: { type: 'text', nullable: true },
    secret_hash: { type: 'varchar', length: 255 },
    expires_at: { type: 'varchar', length: 32, nullable: true },
    unrestricted: { type: 'boolean' },
    roles: { type: 'text', transformer: jsonText<RoleRef[]>([]) },
  },
  uniques: [{ name: 'uq_identity_app_creds_user_name', columns: ['user_id', 'name'] }],
  indices: [{ name: 'ix_identity_app_creds_project', columns: ['project_id'] }],
});
