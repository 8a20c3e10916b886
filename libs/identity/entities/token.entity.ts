import { EntitySchema } from 'typeorm';
import { jsonText, nullableJson } from './json-text.js';

export type ScopeType = 'project' | 'domain' | 'system' | 'unscoped';

export interface RoleRef {
  id: string;
  name: string;
}

/**
 * An issued token with everything its body needs (names, roles incl. implied ones), so that validating it is one
 * primary-key read with no joins. Changes that would alter a token (grant revoked, user disabled…) revoke it instead.
 */
export interface TokenRow {
  id: string;
  user_id: string;
  user_name: string;
  user_domain_id: string;
  user_domain_name: string;
  scope_type: ScopeType;
  project_id: string | null;
  project_name: string | null;
  /** The scoped domain, or the domain of the scoped project. */
  domain_id: string | null;
  domain_name: string | null;
  roles: RoleRef[];
  methods: string[];
  audit_ids: string[];
  /** Keystone format, e.g. 2024-01-01T12:00:00.123456Z; sorts as time. */
  issued_at: string;
  expires_at: string;
  revoked: boolean;
  /** Set on a token issued by the application_credential method (shown in the token body). */
  application_credential?: ApplicationCredentialRef | null;
}

export interface ApplicationCredentialRef {
  id: string;
  name: string;
  restricted: boolean;
}

export const TokenEntity = new EntitySchema<TokenRow>({
  name: 'IdentityToken',
  tableName: 'identity_tokens',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    user_id: { type: 'varchar', length: 64 },
    user_name: { type: 'varchar', length: 255 },
    user_domain_id: { type: 'varchar', length: 64 },
    user_domain_name: { type: 'varchar', length: 255 },
    scope_type: { type: 'varchar', length: 16 },
    project_id: { type: 'varchar', length: 64, nullable: true },
    project_name: { type: 'varchar', length: 255, nullable: true },
    domain_id: { type: 'varchar', length: 64, nullable: true },
    domain_name: { type: 'varchar', length: 255, nullable: true },
    roles: { type: 'text', transformer: jsonText<RoleRef[]>([]) },
    methods: { type: 'text', transformer: jsonText<string[]>([]) },
    audit_ids: { type: 'text', transformer: jsonText<string[]>([]) },
    issued_at: { type: 'varchar', length: 32 },
    expires_at: { type: 'varchar', length: 32 },
    revoked: { type: 'boolean' },
    application_credential: { type: 'text', nullable: true, transformer: nullableJson() },
  },
  indices: [
    { name: 'ix_identity_tokens_user', columns: ['user_id'] },
    { name: 'ix_identity_tokens_project', columns: ['project_id'] },
    { name: 'ix_identity_tokens_expires', columns: ['expires_at'] },
  ],
});
