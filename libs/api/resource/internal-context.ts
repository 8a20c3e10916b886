import type { EntityManager } from 'typeorm';
import type { AuthContext } from '../../identity/auth-context.js';
import type { RequestContext } from './resource-definition.js';

/** The server acting for itself (agent RPC, scheduling): admin, no project, no token. */
const SERVER: AuthContext = {
  token_id: '',
  user_id: 'neutron-server',
  user_name: 'neutron-server',
  user_domain_id: 'default',
  project_id: '',
  project_name: '',
  roles: ['admin'],
  is_admin: true,
  expires_at: '9999-12-31T23:59:59Z',
};

/** A RequestContext for work that no API caller started, inside the caller's unit of work. */
export function internalContext(em: EntityManager, afterCommit: RequestContext['afterCommit']): RequestContext {
  return { auth: SERVER, isAdmin: true, projectId: '', em, forUpdate: true, afterCommit, internal: true };
}
