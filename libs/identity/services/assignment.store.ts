import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../../db/database.js';
import { DomainEntity } from '../entities/domain.entity.js';
import { ProjectEntity } from '../entities/project.entity.js';
import {
  RoleAssignmentEntity,
  type RoleAssignmentRow,
  SYSTEM_ALL,
  type TargetType,
} from '../entities/role-assignment.entity.js';
import type { RoleRow } from '../entities/role.entity.js';
import type { RoleRef } from '../entities/token.entity.js';
import { UserEntity } from '../entities/user.entity.js';
import { assignmentNotFound, notFound } from '../keystone-error.js';
import { impliedRoleNames } from './implied-roles.js';
import { RoleStore } from './role.store.js';
import { type RevokeFilter, TokenService } from './token.service.js';
import { isUniqueViolation } from '../../db/index.js';

/** Where a role is granted: a project, a domain, or the system (id 'all'). */
export interface Target {
  type: TargetType;
  id: string;
}

export interface AssignmentFilter {
  userId?: string;
  roleId?: string;
  projectId?: string;
  domainId?: string;
  system?: string;
}

@Injectable()
export class AssignmentStore {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(RoleStore) private readonly roles: RoleStore,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  /** PUT: idempotent. */
  async grant(userId: string, target: Target, roleId: string): Promise<void> {
    const row: RoleAssignmentRow = { actor_id: userId, target_type: target.type, target_id: target.id, role_id: roleId };
    await this.db
      .transaction(async (em) => {
        await this.requireParties(em, userId, target, roleId);
        if (!(await em.findOneBy(RoleAssignmentEntity, row))) await em.insert(RoleAssignmentEntity, row);
      })
      .catch((e: unknown) => {
        if (!isUniqueViolation(e)) throw e; // a concurrent identical grant: the result is the same
      });
  }

  /** HEAD/GET of one grant: 404 when absent. */
  async check(userId: string, target: Target, roleId: string): Promise<void> {
    await this.db.read(async (em) => {
      await this.requireParties(em, userId, target, roleId);
      const row = { actor_id: userId, target_type: target.type, target_id: target.id, role_id: roleId };
      if (!(await em.findOneBy(RoleAssignmentEntity, row))) throw assignmentNotFound(roleId, userId, target.id);
    });
  }

  /** DELETE of one grant; the user's tokens on that target are revoked (they carry the role). */
  async revoke(userId: string, target: Target, roleId: string): Promise<void> {
    const filter = tokenFilter(userId, target);
    await this.db.transaction(async (em) => {
      const row = { actor_id: userId, target_type: target.type, target_id: target.id, role_id: roleId };
      if (!(await em.findOneBy(RoleAssignmentEntity, row))) {
        await this.requireParties(em, userId, target, roleId);
        throw assignmentNotFound(roleId, userId, target.id);
      }
      await em.delete(RoleAssignmentEntity, row);
      await this.tokens.revokeIn(em, filter);
    });
    this.tokens.evict(filter);
  }

  /** The roles granted directly to the user on the target. */
  listGrants(userId: string, target: Target): Promise<RoleRow[]> {
    return this.db.read(async (em) => {
      await this.requireTarget(em, target);
      const user = await em.findOneBy(UserEntity, { id: userId });
      if (!user) throw notFound('user', userId);
      return this.roles.byIds(em, await this.directRoleIds(em, userId, target));
    });
  }

  /** The user's roles on the target, implied roles included (admin ⇒ member ⇒ reader). */
  async effectiveRoles(em: EntityManager, userId: string, target: Target): Promise<RoleRef[]> {
    const direct = await this.roles.byIds(em, await this.directRoleIds(em, userId, target));
    if (direct.length === 0) return [];
    direct.sort((a, b) => a.name.localeCompare(b.name));
    const implied = await this.roles.byNames(em, impliedRoleNames(direct.map((r) => r.name)));
    const order = (r: RoleRow) => ['admin', 'member', 'reader'].indexOf(r.name);
    implied.sort((a, b) => order(a) - order(b));
    return [...direct, ...implied].map(({ id, name }) => ({ id, name }));
  }

  /** Whether the user holds any role on the system. */
  async hasSystemRole(em: EntityManager, userId: string): Promise<boolean> {
    return (await this.directRoleIds(em, userId, { type: 'system', id: SYSTEM_ALL })).length > 0;
  }

  systemRoleOf(userId: string): Promise<boolean> {
    return this.db.read((em) => this.hasSystemRole(em, userId));
  }

  /** Domains on which the user holds a role. */
  domainIdsOf(userId: string): Promise<string[]> {
    return this.db.read(async (em) => {
      const rows = await em.findBy(RoleAssignmentEntity, { actor_id: userId, target_type: 'domain' });
      return [...new Set(rows.map((r) => r.target_id))];
    });
  }

  private async directRoleIds(em: EntityManager, userId: string, target: Target): Promise<string[]> {
    const rows = await em.find(RoleAssignmentEntity, {
      select: { role_id: true },
      where: { actor_id: userId, target_type: target.type, target_id: target.id },
    });
    return rows.map((r) => r.role_id);
  }

  /** Keystone resolves the role, then the user, then the target, each with its own 404. */
  private async requireParties(em: EntityManager, userId: string, target: Target, roleId: string): Promise<void> {
    await this.roles.require(em, roleId);
    if (!(await em.findOneBy(UserEntity, { id: userId }))) throw notFound('user', userId);
    await this.requireTarget(em, target);
  }

  private async requireTarget(em: EntityManager, target: Target): Promise<void> {
    if (target.type === 'project' && !(await em.findOneBy(ProjectEntity, { id: target.id }))) {
      throw notFound('project', target.id);
    }
    if (target.type === 'domain' && !(await em.findOneBy(DomainEntity, { id: target.id }))) {
      throw notFound('domain', target.id);
    }
  }
}

function tokenFilter(userId: string, target: Target): RevokeFilter {
  if (target.type === 'project') return { userId, projectId: target.id };
  if (target.type === 'domain') return { userId, domainId: target.id, scopeType: 'domain' };
  return { userId, scopeType: 'system' };
}

