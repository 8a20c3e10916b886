import { expectingError, validationError } from '../keystone-error.js';
import { SchemaCheck, isObject, pyRepr } from '../schema-check.js';
import type { DomainRef } from './domain.store.js';
import type { ProjectRef } from './project.store.js';

export type ScopeRequest =
  | { kind: 'project'; project: ProjectRef }
  | { kind: 'domain'; domain: DomainRef }
  | { kind: 'system' }
  | { kind: 'unscoped' };

export interface PasswordUserRef {
  id?: string;
  name?: string;
  domain?: DomainRef;
  password: string;
}

export interface ApplicationCredentialAuth {
  id?: string;
  name?: string;
  /** The owner, needed with a name. */
  user?: { id?: string; name?: string; domain?: DomainRef };
  secret: string;
}

/** A POST /v3/auth/tokens body, checked as Keystone's auth schema does. */
export interface AuthRequest {
  methods: string[];
  /** The keys of auth.identity: each method needs its payload there. */
  payloads: string[];
  password?: PasswordUserRef;
  token?: string;
  applicationCredential?: ApplicationCredentialAuth;
  /** undefined = no scope given (the default project rule applies). */
  scope?: ScopeRequest;
}

function ref(check: SchemaCheck | undefined, where: string): DomainRef | undefined {
  if (!check) return undefined;
  const r = { id: check.string('id'), name: check.string('name') };
  if (r.id === undefined && r.name === undefined) {
    throw validationError(`Invalid input for field ${where}: id or name must be present.`);
  }
  return r;
}

export function parseAuthRequest(body: unknown): AuthRequest {
  if (!isObject(body) || !isObject(body.auth)) {
    if (isObject(body) && body.auth !== undefined) throw validationError(`${pyRepr(body.auth)} is not of type 'object'`);
    throw expectingError('auth', 'request body');
  }
  const auth = SchemaCheck.object(body.auth);
  const identity = auth.object('identity');
  if (!identity) throw validationError("'identity' is a required property");
  if (!identity.has('methods')) throw validationError("Invalid input for field 'identity': 'methods' is a required property");
  const methods = (body.auth as { identity: { methods: unknown } }).identity.methods;
  if (!Array.isArray(methods)) throw validationError(`Invalid input for field 'identity/methods': ${pyRepr(methods)} is not of type 'array'`);
  for (const m of methods) {
    if (typeof m !== 'string') throw validationError(`Invalid input for field 'identity/methods/0': ${pyRepr(m)} is not of type 'string'`);
  }
  const payloads = Object.keys((body.auth as { identity: object }).identity);
  const req: AuthRequest = { methods: [...new Set(methods as string[])], payloads };

  const password = identity.object('password');
  const user = password?.object('user');
  if (password && !user) throw expectingError('user', 'password');
  if (user) {
    const u = {
      id: user.string('id'),
      name: user.string('name'),
      password: user.string('password'),
      domain: ref(user.object('domain'), 'identity/password/user/domain'),
    };
    if (u.id === undefined && u.name === undefined) {
      throw validationError('Invalid input for field identity/password/user: id or name must be present.');
    }
    req.password = { ...u, password: u.password ?? '' };
  }
  const token = identity.object('token');
  if (token) req.token = token.string('id', { required: true });
  const appCred = identity.object('application_credential');
  if (appCred) {
    const a: ApplicationCredentialAuth = {
      id: appCred.string('id'),
      name: appCred.string('name'),
      secret: appCred.string('secret', { required: true })!,
    };
    const owner = appCred.object('user');
    if (owner) {
      a.user = { id: owner.string('id'), name: owner.string('name'), domain: ref(owner.object('domain'), 'identity/application_credential/user/domain') };
    }
    if (a.id === undefined && a.name === undefined) throw expectingError('id or name', 'application_credential');
    if (a.id === undefined && (!a.user || (a.user.id === undefined && (a.user.name === undefined || !a.user.domain)))) {
      throw expectingError('user', 'application_credential');
    }
    req.applicationCredential = a;
  }

  req.scope = parseScope((body.auth as Record<string, unknown>).scope);
  return req;
}

function parseScope(scope: unknown): ScopeRequest | undefined {
  if (scope === undefined) return undefined;
  if (scope === 'unscoped') return { kind: 'unscoped' };
  if (typeof scope === 'string') throw expectingError('system, project, domain, OS-TRUST:trust or unscoped', 'scope');
  const s = SchemaCheck.object(scope, 'scope');
  const project = s.object('project');
  const domain = s.object('domain');
  const system = s.object('system');
  if (system?.has('all')) system.boolean('all');
  const kinds = ['project', 'domain', 'unscoped', 'system', 'OS-TRUST:trust'].filter((k) => s.has(k));
  if (kinds.length !== 1) throw expectingError('system, project, domain, OS-TRUST:trust or unscoped', 'scope');
  if (project) {
    const p = ref(project, 'scope/project')!;
    return { kind: 'project', project: { ...p, domain: ref(project.object('domain'), 'scope/project/domain') } };
  }
  if (domain) return { kind: 'domain', domain: ref(domain, 'scope/domain')! };
  if (system) return { kind: 'system' };
  if (s.has('unscoped')) return { kind: 'unscoped' };
  throw validationError('Trusts are not supported by this identity service.');
}
