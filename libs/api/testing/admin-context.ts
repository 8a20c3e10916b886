/** The cloud admin as specs and in-process harnesses call the API: project `admin-project`, admin role. */
import type { EntityManager } from 'typeorm';
import type { AuthContext } from '../../identity/auth-context.js';
import type { RequestContext } from '../resource/resource-definition.js';

export const ADMIN_AUTH: AuthContext = {
  token_id: 'admin-token',
  user_id: 'admin-user',
  user_name: 'admin',
  user_domain_id: 'default',
  project_id: 'admin-project',
  project_name: 'admin',
  roles: ['admin', 'member', 'reader'],
  is_admin: true,
  expires_at: '2999-01-01T00:00:00Z',
};

/** A write RequestContext for the admin inside `em`, as the engine builds one per request (after-commit work dropped). */
export function adminRequestContext(em: EntityManager): RequestContext {
  return { auth: ADMIN_AUTH, isAdmin: true, projectId: ADMIN_AUTH.project_id, em, forUpdate: true, afterCommit: () => undefined };
}
