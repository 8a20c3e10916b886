import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager, FindOptionsWhere } from 'typeorm';
import { Database } from '../../db/database.js';
import { isUniqueViolation } from '../../db/index.js';
import { ApplicationCredentialEntity, type ApplicationCredentialRow } from '../entities/application-credential.entity.js';
import type { RoleRef, TokenRow } from '../entities/token.entity.js';
import { UserEntity } from '../entities/user.entity.js';
import {
  applicationCredentialNotFound,
  assignmentNotFound,
  conflict,
  forbiddenAction,
  notFound,
  validationError,
} from '../keystone-error.js';
import { newId } from './ids.js';
import { keystoneExpiry, parseKeystoneTime } from './keystone-time.js';
import { hashPassword } from './password-hasher.js';
import { TokenService } from './token.service.js';

export interface ApplicationCredentialInput {
  name: string;
  description?: string | null;
  secret?: string;
  /** ISO 8601, or null for none. */
  expires_at?: string | null;
  unrestricted?: boolean;
  /** By id or name; default: every role of the creating token. */
  roles?: { id?: string; name?: string }[];
}

/** An application credential with its secret, as answered once by the create call. */
export type CreatedApplicationCredential = ApplicationCredentialRow & { secret: string };

/**
 * Keystone's application credentials: a user delegates roles it holds on the token's project to a named secret;
 * the secret authenticates as that user on that project with those roles (the application_credential method).
 */
@Injectable()
export class ApplicationCredentialStore {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  async create(caller: TokenRow, userId: string, input: ApplicationCredentialInput): Promise<CreatedApplicationCredential> {
    if (caller.user_id !== userId) throw forbiddenAction('identity:create_application_credential');
    if (caller.application_credential?.restricted) {
      throw forbiddenAction("Using method 'application_credential' is not allowed for managing additional application credentials.");
    }
    if (caller.scope_type !== 'project' || !caller.project_id) {
      throw validationError('Application credentials can only be created with a project-scoped token.');
    }
    const roles = delegatedRoles(caller, input.roles);
    const secret = input.secret ?? randomBytes(64).toString('base64url');
    const row: ApplicationCredentialRow = {
      id: newId(),
      name: input.name,
      user_id: userId,
      project_id: caller.project_id,
      description: input.description ?? null,
      secret_hash: await hashPassword(secret),
      expires_at: expiry(input.expires_at),
      unrestricted: input.unrestricted ?? false,
      roles,
    };
    try {
      await this.db.transaction(async (em) => {
        if (await em.findOneBy(ApplicationCredentialEntity, { user_id: userId, name: row.name })) {
          throw conflict('application_credential', row.name);
        }
        await em.insert(ApplicationCredentialEntity, row);
      });
    } catch (e) {
      throw isUniqueViolation(e) ? conflict('application_credential', row.name) : e;
    }
    return { ...row, secret };
  }

  list(userId: string, filter: { name?: string }): Promise<ApplicationCredentialRow[]> {
    return this.db.read(async (em) => {
      if (!(await em.findOneBy(UserEntity, { id: userId }))) throw notFound('user', userId);
      const where: FindOptionsWhere<ApplicationCredentialRow> = { user_id: userId };
      if (filter.name !== undefined) where.name = filter.name;
      return em.find(ApplicationCredentialEntity, { where, order: { name: 'ASC' } });
    });
  }

  get(userId: string, id: string): Promise<ApplicationCredentialRow> {
    return this.db.read((em) => this.require(em, userId, id));
  }

  /** Deletes it and revokes the tokens it issued. */
  async delete(caller: TokenRow, userId: string, id: string): Promise<void> {
    if (caller.application_credential?.restricted) {
      throw forbiddenAction("Using method 'application_credential' is not allowed for managing additional application credentials.");
    }
    await this.db.transaction(async (em) => {
      await this.require(em, userId, id);
      await em.delete(ApplicationCredentialEntity, { id });
      await this.tokens.revokeIn(em, { applicationCredentialId: id });
    });
    this.tokens.evict({ applicationCredentialId: id });
  }

  /** For authentication: by id, or by name and owner. */
  find(em: EntityManager, ref: { id?: string; name?: string; userId?: string }): Promise<ApplicationCredentialRow | null> {
    if (ref.id !== undefined) return em.findOneBy(ApplicationCredentialEntity, { id: ref.id });
    return em.findOneBy(ApplicationCredentialEntity, { user_id: ref.userId!, name: ref.name! });
  }

  private async require(em: EntityManager, userId: string, id: string): Promise<ApplicationCredentialRow> {
    const row = await em.findOneBy(ApplicationCredentialEntity, { id, user_id: userId });
    if (!row) throw applicationCredentialNotFound(id);
    return row;
  }
}

/** The requested roles, each one the creating token carries (Keystone: 404 for a role the user lacks there). */
function delegatedRoles(caller: TokenRow, wanted: ApplicationCredentialInput['roles']): RoleRef[] {
  if (!wanted || wanted.length === 0) return caller.roles.map(({ id, name }) => ({ id, name }));
  const out: RoleRef[] = [];
  for (const w of wanted) {
    const role = caller.roles.find((r) => (w.id !== undefined ? r.id === w.id : r.name === w.name));
    if (!role) throw assignmentNotFound(w.id ?? w.name ?? '', caller.user_id, caller.project_id ?? '');
    if (!out.some((r) => r.id === role.id)) out.push({ id: role.id, name: role.name });
  }
  return out;
}

function expiry(text: string | null | undefined): string | null {
  if (text === undefined || text === null) return null;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(ms)) throw validationError(`Invalid input for field 'expires_at': '${text}' is not a 'date-time'`);
  if (ms <= Date.now()) throw validationError('Invalid application credential: the expiration time must be in the future.');
  return keystoneExpiry(ms * 1000);
}

/** Whether the credential's expiry has passed. */
export function isExpired(row: ApplicationCredentialRow, nowMs = Date.now()): boolean {
  return row.expires_at !== null && parseKeystoneTime(row.expires_at) <= nowMs;
}
