import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { Database } from '../../db/database.js';
import { KeystoneError } from '../keystone-error.js';
import type { DomainRow } from '../entities/domain.entity.js';
import type { ProjectRow } from '../entities/project.entity.js';
import { SYSTEM_ALL } from '../entities/role-assignment.entity.js';
import type { TokenRow } from '../entities/token.entity.js';
import { UserEntity, type UserRow } from '../entities/user.entity.js';
import {
  authMethodNotSupported,
  expectingError,
  forbidden,
  forbiddenAction,
  notFound,
  tokenInvalid,
  unauthorized,
} from '../keystone-error.js';
import { ApplicationCredentialStore, isExpired } from './application-credential.store.js';
import { AssignmentStore } from './assignment.store.js';
import { impliedRoleNames } from './implied-roles.js';
import type { AuthRequest, ScopeRequest } from './auth-request.js';
import { DomainStore } from './domain.store.js';
import { newAuditId, newTokenId } from './ids.js';
import { keystoneExpiry, keystoneTime, nowMicros, parseKeystoneTime } from './keystone-time.js';
import { verifyPassword } from './password-hasher.js';
import { ProjectStore } from './project.store.js';
import { TokenService, type ValidToken } from './token.service.js';
import { UserStore } from './user.store.js';

const METHODS = ['password', 'token', 'application_credential'];

type Scope = Pick<TokenRow, 'scope_type' | 'project_id' | 'project_name' | 'domain_id' | 'domain_name' | 'roles'>;

const UNSCOPED: Scope = {
  scope_type: 'unscoped',
  project_id: null,
  project_name: null,
  domain_id: null,
  domain_name: null,
  roles: [],
};

/** POST /v3/auth/tokens: authenticates (password and/or token methods), resolves the scope, issues the token. */
@Injectable()
export class AuthService {
  private readonly lifetimeMicros: number;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(DomainStore) private readonly domains: DomainStore,
    @Inject(ProjectStore) private readonly projects: ProjectStore,
    @Inject(UserStore) private readonly users: UserStore,
    @Inject(AssignmentStore) private readonly assignments: AssignmentStore,
    @Inject(ApplicationCredentialStore) private readonly applicationCredentials: ApplicationCredentialStore,
  ) {
    this.lifetimeMicros = config.identity.token_expiration_seconds * 1_000_000;
  }

  async issue(req: AuthRequest): Promise<ValidToken> {
    for (const m of req.methods) if (!req.payloads.includes(m)) throw expectingError(m, 'identity');
    if (req.methods.length === 0 || req.methods.some((m) => !METHODS.includes(m))) throw authMethodNotSupported();

    if (req.methods.includes('application_credential')) return this.issueForApplicationCredential(req);
    const parent = req.methods.includes('token') ? await this.parentToken(req) : undefined;
    // One read for everything the token needs; the one bcrypt compare happens outside any unit of work.
    const { user, userDomain, scope } = await this.db.read(async (em) => {
      const user = await this.findUser(em, req, parent);
      const userDomain = await this.domains.lookup(em, { id: user.domain_id });
      if (!user.enabled || !userDomain?.enabled) throw unauthorized();
      return { user, userDomain, scope: await this.resolveScope(em, user, req.scope) };
    });
    if (req.password && !(await verifyPassword(req.password.password, user.password_hash))) throw unauthorized();

    const issued = nowMicros();
    const methods = parent ? [...new Set(['token', ...req.methods.filter((m) => m !== 'token'), ...parent.row.methods])] : req.methods;
    const row: TokenRow = {
      id: newTokenId(),
      user_id: user.id,
      user_name: user.name,
      user_domain_id: userDomain.id,
      user_domain_name: userDomain.name,
      ...scope,
      methods,
      // A rescoped token keeps the chain's root audit id second and the original expiry (no extension).
      audit_ids: parent ? [newAuditId(), parent.row.audit_ids.at(-1)!] : [newAuditId()],
      issued_at: keystoneTime(issued),
      expires_at: parent ? parent.row.expires_at : keystoneExpiry(issued + this.lifetimeMicros),
      revoked: false,
    };
    return this.tokens.store(row);
  }

  /**
   * The application_credential method: the credential's owner, scoped to its project, with the delegated roles the
   * owner still holds there (Keystone's rule; none left = 401). It cannot be combined with a scope or another method.
   */
  private async issueForApplicationCredential(req: AuthRequest): Promise<ValidToken> {
    const ref = req.applicationCredential!;
    if (req.methods.length !== 1 || req.scope !== undefined) throw unauthorized();
    const { cred, user, userDomain, scope } = await this.db.read(async (em) => {
      let ownerId = ref.user?.id;
      if (ref.id === undefined && ownerId === undefined) {
        const domain = await this.domains.lookup(em, ref.user!.domain!);
        ownerId = domain ? (await this.users.byName(em, domain.id, ref.user!.name!))?.id : undefined;
      }
      const cred = await this.applicationCredentials.find(em, { id: ref.id, name: ref.name, userId: ownerId });
      if (!cred || isExpired(cred) || (ownerId !== undefined && cred.user_id !== ownerId)) throw unauthorized();
      const user = await em.findOneBy(UserEntity, { id: cred.user_id });
      const userDomain = user && (await this.domains.lookup(em, { id: user.domain_id }));
      if (!user?.enabled || !userDomain?.enabled) throw unauthorized();
      const project = await this.projects.require(em, cred.project_id).catch(notFoundAsNull);
      const scope = await this.projectScope(em, user, project);
      const held = new Set(scope.roles.map((r) => r.id));
      // Implied roles of the delegated ones stay (admin ⇒ member ⇒ reader), as Keystone expands them in the token.
      const delegated = new Set(cred.roles.map((r) => r.id));
      scope.roles = scope.roles.filter((r) => delegated.has(r.id) || impliedBy(r.name, cred.roles));
      if (!cred.roles.some((r) => held.has(r.id))) throw unauthorized();
      return { cred, user, userDomain, scope };
    });
    if (!(await verifyPassword(ref.secret, cred.secret_hash))) throw unauthorized();
    const issued = nowMicros();
    const lifetimeEnd = issued + this.lifetimeMicros;
    const credEnd = cred.expires_at ? parseKeystoneTime(cred.expires_at) * 1000 : Infinity;
    return this.tokens.store({
      id: newTokenId(),
      user_id: user.id,
      user_name: user.name,
      user_domain_id: userDomain.id,
      user_domain_name: userDomain.name,
      ...scope,
      methods: ['application_credential'],
      audit_ids: [newAuditId()],
      issued_at: keystoneTime(issued),
      expires_at: keystoneExpiry(Math.min(lifetimeEnd, credEnd)),
      revoked: false,
      application_credential: { id: cred.id, name: cred.name, restricted: !cred.unrestricted },
    });
  }

  private async parentToken(req: AuthRequest): Promise<ValidToken> {
    const parent = await this.tokens.resolve(req.token);
    if (!parent) {
      // Keystone answers 404 here, not 401: the token method validates the token like GET /v3/auth/tokens.
      const known = req.token !== undefined && (await this.tokens.find(req.token));
      throw known ? tokenInvalid() : notFound('token', req.token ?? '');
    }
    // An application credential's token carries only the delegated roles: rescoping it would escape them.
    if (parent.row.application_credential) throw forbidden();
    if (parent.row.scope_type === 'system' && (req.scope?.kind === 'project' || req.scope?.kind === 'domain')) {
      throw forbiddenAction('Using a system-scoped token to create a project-scoped or domain-scoped token is not allowed.');
    }
    return parent;
  }

  private async findUser(em: EntityManager, req: AuthRequest, parent?: ValidToken): Promise<UserRow> {
    const p = req.password;
    let user: UserRow | null = null;
    if (p?.id !== undefined) {
      user = await this.users.require(em, p.id).catch(notFoundAsNull);
    } else if (p) {
      if (!p.domain) throw expectingError('domain', 'user');
      const domain = await this.domains.lookup(em, p.domain);
      if (!domain?.enabled) throw unauthorized();
      user = await this.users.byName(em, domain.id, p.name!);
    }
    if (parent) {
      if (user && user.id !== parent.row.user_id) throw unauthorized();
      user ??= await em.findOneBy(UserEntity, { id: parent.row.user_id });
    }
    if (!user) throw unauthorized();
    return user;
  }

  private async resolveScope(em: EntityManager, user: UserRow, req: ScopeRequest | undefined): Promise<Scope> {
    // As in Keystone, a token method without a scope does not inherit the parent's scope: the default rule applies.
    if (!req) return this.defaultScope(em, user);
    switch (req.kind) {
      case 'unscoped':
        return UNSCOPED;
      case 'system': {
        const roles = await this.assignments.effectiveRoles(em, user.id, { type: 'system', id: SYSTEM_ALL });
        if (roles.length === 0) throw unauthorized();
        return { ...UNSCOPED, scope_type: 'system', roles };
      }
      case 'domain': {
        const domain = await this.domains.lookup(em, req.domain);
        if (!domain?.enabled) throw unauthorized();
        return this.domainScope(em, user, domain);
      }
      case 'project': {
        const project = await this.findProject(em, req);
        return this.projectScope(em, user, project);
      }
    }
  }

  private async findProject(em: EntityManager, req: Extract<ScopeRequest, { kind: 'project' }>): Promise<ProjectRow> {
    const ref = req.project;
    let project: ProjectRow | null;
    if (ref.id !== undefined) {
      project = await this.projects.require(em, ref.id).catch(notFoundAsNull);
    } else {
      if (!ref.domain) throw expectingError('domain', 'project');
      const domain = await this.domains.lookup(em, ref.domain);
      if (!domain) throw unauthorized();
      project = await this.projects.byName(em, domain.id, ref.name!);
    }
    if (!project) throw unauthorized();
    return project;
  }

  /** Keystone's default project rule: scope to it if it exists, is enabled and the user has a role there. */
  private async defaultScope(em: EntityManager, user: UserRow): Promise<Scope> {
    if (!user.default_project_id) return UNSCOPED;
    const project = await this.projects.require(em, user.default_project_id).catch(notFoundAsNull);
    if (!project) return UNSCOPED;
    return this.projectScope(em, user, project).catch((e: unknown) => notFoundAsNull(e) ?? UNSCOPED);
  }

  private async projectScope(em: EntityManager, user: UserRow, project: ProjectRow | null): Promise<Scope> {
    if (!project?.enabled) throw unauthorized();
    const domain = await this.domains.lookup(em, { id: project.domain_id });
    if (!domain?.enabled) throw unauthorized();
    const roles = await this.assignments.effectiveRoles(em, user.id, { type: 'project', id: project.id });
    if (roles.length === 0) throw unauthorized();
    return {
      scope_type: 'project',
      project_id: project.id,
      project_name: project.name,
      domain_id: domain.id,
      domain_name: domain.name,
      roles,
    };
  }

  private async domainScope(em: EntityManager, user: UserRow, domain: DomainRow): Promise<Scope> {
    const roles = await this.assignments.effectiveRoles(em, user.id, { type: 'domain', id: domain.id });
    if (roles.length === 0) throw unauthorized();
    return { ...UNSCOPED, scope_type: 'domain', domain_id: domain.id, domain_name: domain.name, roles };
  }
}

/** A missing or unusable user/project is an authentication failure; anything else (database down) is a real error. */
function notFoundAsNull(e: unknown): null {
  if (e instanceof KeystoneError) return null;
  throw e;
}

/** Whether a role (by name) is implied by one of the delegated roles. */
function impliedBy(name: string, delegated: { name: string }[]): boolean {
  return impliedRoleNames(delegated.map((r) => r.name)).includes(name);
}
