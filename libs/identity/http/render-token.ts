import type { TokenRow } from '../entities/token.entity.js';
import type { CatalogEntry } from '../services/catalog.service.js';

/** Keystone's render_token_response_from_model for the scopes this stub issues. */
export function renderToken(row: TokenRow, catalog: CatalogEntry[] | undefined): { token: Record<string, unknown> } {
  const token: Record<string, unknown> = {
    methods: row.methods,
    user: {
      domain: { id: row.user_domain_id, name: row.user_domain_name },
      id: row.user_id,
      name: row.user_name,
      password_expires_at: null,
    },
    audit_ids: row.audit_ids,
    expires_at: row.expires_at,
    issued_at: row.issued_at,
  };
  if (row.scope_type === 'system') {
    token.roles = row.roles;
    token.system = { all: true };
  } else if (row.scope_type === 'domain') {
    token.domain = { id: row.domain_id, name: row.domain_name };
    token.roles = row.roles;
  } else if (row.scope_type === 'project') {
    token.project = { domain: { id: row.domain_id, name: row.domain_name }, id: row.project_id, name: row.project_name };
    token.is_domain = false;
    token.roles = row.roles;
  }
  if (row.application_credential) token.application_credential = row.application_credential;
  if (catalog && row.scope_type !== 'unscoped') token.catalog = catalog;
  return { token };
}
