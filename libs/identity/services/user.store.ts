import type { JsonObject } from '../entities/json-text.js';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager, FindOptionsWhere } from 'typeorm';
import { Database } from '../../db/database.js';
import { DomainEntity } from '../entities/domain.entity.js';
import type { ProjectRow } from '../entities/project.entity.js';
import { UserEntity, type UserRow } from '../entities/user.entity.js';
import { conflict, forbiddenNotSecurity, notFound, unauthorized } from '../keystone-error.js';
import { newId } from './ids.js';
import { MAX_PASSWORD_LENGTH, hashPassword, verifyPassword } from './password-hasher.js';
import { AssignmentStore } from './assignment.store.js';
import { ProjectStore } from './project.store.js';
import { TokenService } from './token.service.js';
import { isUniqueViolation } from '../../db/index.js';

export interface UserInput {
  name: string;
  domain_id: string;
  password?: string | null;
  enabled?: boolean;
  default_project_id?: string | null;
  extra?: JsonObject;
}

export interface UserPatch {
  name?: string;
  password?: string | null;
  enabled?: boolean;
  default_project_id?: string | null;
  extra?: JsonObject;
}

export interface UserFilter {
  name?: string;
  domain_id?: string;
  enabled?: boolean;
}

@Injectable()
export class UserStore {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(ProjectStore) private readonly projects: ProjectStore,
    @Inject(AssignmentStore) private readonly assignments: AssignmentStore,
  ) {}

  get(id: string): Promise<UserRow> {
    return this.db.read((em) => this.require(em, id));
  }

  async require(em: EntityManager, id: string): Promise<UserRow> {
    const row = await em.findOneBy(UserEntity, { id });
    if (!row) throw notFound('user', id);
    return row;
  }

  byName(em: EntityManager, domainId: string, name: string): Promise<UserRow | null> {
    return em.findOneBy(UserEntity, { domain_id: domainId, name });
  }

  list(filter: UserFilter): Promise<UserRow[]> {
    const where: FindOptionsWhere<UserRow> = {};
    if (filter.name !== undefined) where.name = filter.name;
    if (filter.domain_id !== undefined) where.domain_id = filter.domain_id;
    if (filter.enabled !== undefined) where.enabled = filter.enabled;
    return this.db.read((em) => em.find(UserEntity, { where, order: { name: 'ASC' } }));
  }

  /** Projects on which the user holds a role, directly or through a group. */
  projectsOf(userId: string): Promise<ProjectRow[]> {
    return this.db.read(async (em) => {
      await this.require(em, userId);
      return this.projects.byIds(em, await this.assignments.targetIdsOf(em, userId, 'project'));
    });
  }

  async create(input: UserInput): Promise<UserRow> {
    // Hash before the unit of work: it takes tens of milliseconds and SQLite units are serialized.
    const hash = await this.hash(input.password);
    const row: UserRow = {
      id: newId(),
      name: input.name,
      domain_id: input.domain_id,
      password_hash: hash,
      enabled: input.enabled ?? true,
      default_project_id: input.default_project_id ?? null,
      extra: input.extra ?? {},
      created_at: new Date().toISOString(),
    };
    try {
      return await this.db.transaction(async (em) => {
        if (!(await em.findOneBy(DomainEntity, { id: row.domain_id }))) throw notFound('domain', row.domain_id);
        if (row.default_project_id) await this.projects.require(em, row.default_project_id);
        if (await this.byName(em, row.domain_id, row.name)) throw conflict('user', row.name, row.domain_id);
        await em.insert(UserEntity, row);
        return row;
      });
    } catch (e) {
      throw isUniqueViolation(e) ? conflict('user', row.name, row.domain_id) : e;
    }
  }

  async update(id: string, patch: UserPatch): Promise<UserRow> {
    const hash = patch.password === undefined ? undefined : await this.hash(patch.password);
    let revoke = hash !== undefined;
    const row = await this.db
      .transaction(async (em) => {
        const row = await this.require(em, id);
        if (patch.name !== undefined && patch.name !== row.name) {
          if (await this.byName(em, row.domain_id, patch.name)) throw conflict('user', patch.name, row.domain_id);
          row.name = patch.name;
        }
        if (hash !== undefined) row.password_hash = hash;
        if (patch.enabled !== undefined) {
          if (row.enabled && !patch.enabled) revoke = true;
          row.enabled = patch.enabled;
        }
        if (patch.default_project_id !== undefined) {
          if (patch.default_project_id) await this.projects.require(em, patch.default_project_id);
          row.default_project_id = patch.default_project_id;
        }
        if (patch.extra !== undefined) row.extra = { ...row.extra, ...patch.extra };
        const { name, password_hash, enabled, default_project_id, extra } = row;
        await em.update(UserEntity, { id }, { name, password_hash, enabled, default_project_id, extra });
        if (revoke) await this.tokens.revokeIn(em, { userId: id });
        return row;
      })
      .catch((e: unknown) => {
        throw isUniqueViolation(e) ? conflict('user', patch.name ?? id) : e;
      });
    if (revoke) this.tokens.evict({ userId: id });
    return row;
  }

  /** Self-service password change (POST /v3/users/{id}/password): the original password is the credential. */
  async changePassword(id: string, original: string, password: string): Promise<void> {
    const row = await this.db.read((em) => em.findOneBy(UserEntity, { id }));
    if (!row || !(await verifyPassword(original, row.password_hash))) throw unauthorized();
    await this.update(id, { password });
  }

  /** Deletes the user; its role assignments and tokens go by ON DELETE CASCADE. */
  async delete(id: string): Promise<void> {
    await this.db.transaction(async (em) => {
      await this.require(em, id);
      await em.delete(UserEntity, { id });
    });
    this.tokens.evict({ userId: id });
  }

  private async hash(password: string | null | undefined): Promise<string | null> {
    if (password === undefined || password === null) return null;
    if (password.length > MAX_PASSWORD_LENGTH) {
      throw forbiddenNotSecurity(
        `The password length must be less than or equal to ${MAX_PASSWORD_LENGTH}. ` +
          'The server could not comply with the request because the password is invalid.',
      );
    }
    return hashPassword(password);
  }
}

