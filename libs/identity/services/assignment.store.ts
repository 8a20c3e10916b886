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
import { GroupAssignmentEntity, type GroupAssignmentRow } from '../entities/group-assignment.entity.js';
import { GroupEntity, GroupMemberEntity } from '../entities/group.entity.js';
import { assignmentNotFound, notFound } from '../keystone-error.js';
import { impliedRoleNames } from './implied-roles.js';
import { RoleStore } from './role.store.js';
import { type RevokeFilter, TokenService } from './token.service.js';
import { isUniqueViolation } from '../../db/index.js';

/** Who holds a grant: a user, or a group (each of its members). */
export interface Actor {
  kind: 'user' | 'group';
  id: string;
}

type GroupTargetType = GroupAssignmentRow['target_type'];

/** Where a role is granted: a project, a domain, or the system (id 'all'). */
export interface Target {
  type: TargetType;
  id: string;
}

export interface AssignmentFilter {
  userId?: string;
  groupId?: string;
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
  async grant(actor: Actor, target: Target, roleId: string): Promise<void> {
    await this.db
      .transaction(async (em) => {
        await this.requireParties(em, actor, target, roleId);
        if (actor.kind === 'user') {
          const row: RoleAssignmentRow = { actor_id: actor.id, target_type: target.type, target_id: target.id, role_id: roleId };
          if (!(await em.findOneBy(RoleAssignmentEntity, row))) await em.insert(RoleAssignmentEntity, row);
        } else {
          const row = groupRow(actor.id, target, roleId);
          if (!(await em.findOneBy(GroupAssignmentEntity, row))) await em.insert(GroupAssignmentEntity, row);
        }
      })
      .catch((e: unknown) => {
        if (!isUniqueViolation(e)) throw e; // a concurrent identical grant: the result is the same
      });
  }

  /** HEAD/GET of one grant: 404 when absent. */
  async check(actor: Actor, target: Target, roleId: string): Promise<void> {
    await this.db.read(async (em) => {
      await this.requireParties(em, actor, target, roleId);
      if (!(await this.exists(em, actor, target, roleId))) throw assignmentNotFound(roleId, actor.id, target.id);
    });
  }

  /** DELETE of one grant; the tokens on that target of the user (or of the group's members) are revoked. */
  async revoke(actor: Actor, target: Target, roleId: string): Promise<void> {
    const filter = await this.db.transaction(async (em) => {
      if (!(await this.exists(em, actor, target, roleId))) {
        await this.requireParties(em, actor, target, roleId);
        throw assignmentNotFound(roleId, actor.id, target.id);
      }
      let filter: RevokeFilter;
      if (actor.kind === 'user') {
        await em.delete(RoleAssignmentEntity, { actor_id: actor.id, target_type: target.type, target_id: target.id, role_id: roleId });
        filter = tokenFilter({ userId: actor.id }, target);
      } else {
        await em.delete(GroupAssignmentEntity, groupRow(actor.id, target, roleId));
        filter = tokenFilter({ userIds: await this.memberIds(em, actor.id) }, target);
      }
      await this.tokens.revokeIn(em, filter);
      return filter;
    });
    this.tokens.evict(filter);
  }

  /** The roles granted directly to the user (or group) on the target. */
  listGrants(actor: Actor, target: Target): Promise<RoleRow[]> {
    return this.db.read(async (em) => {
      await this.requireTarget(em, target);
      await this.requireActor(em, actor);
      const ids =
        actor.kind === 'user'
          ? await this.directRoleIds(em, actor.id, target)
          : (
              await em.find(GroupAssignmentEntity, {
                select: { role_id: true },
                where: { group_id: actor.id, target_type: target.type as GroupTargetType, target_id: target.id },
              })
            ).map((r) => r.role_id);
      return this.roles.byIds(em, ids);
    });
  }

  /** The user's roles on the target, implied roles included (admin ⇒ member ⇒ reader). */
  async effectiveRoles(em: EntityManager, userId: string, target: Target): Promise<RoleRef[]> {
    const ids = [...(await this.directRoleIds(em, userId, target)), ...(await this.groupRoleIds(em, userId, target))];
    const direct = await this.roles.byIds(em, [...new Set(ids)]);
    if (direct.length === 0) return [];
    // Code-point order, as Keystone's Python sorts (localeCompare would also load ICU's collation data: 3 MB of RSS).
    direct.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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

  /** Domains on which the user holds a role, directly or through a group. */
  domainIdsOf(userId: string): Promise<string[]> {
    return this.db.read((em) => this.targetIdsOf(em, userId, 'domain'));
  }

  /** Projects (or domains) on which the user holds a role, directly or through a group: two indexed queries. */
  async targetIdsOf(em: EntityManager, userId: string, type: GroupTargetType): Promise<string[]> {
    const direct = await em.find(RoleAssignmentEntity, {
      select: { target_id: true },
      where: { actor_id: userId, target_type: type },
    });
    const viaGroups = await em
      .createQueryBuilder(GroupAssignmentEntity, 'ga')
      .select('DISTINCT ga.target_id', 'target_id')
      .innerJoin(GroupMemberEntity.options.name, 'gm', 'gm.group_id = ga.group_id')
      .where('gm.user_id = :userId AND ga.target_type = :type', { userId, type })
      .getRawMany<{ target_id: string }>();
    return [...new Set([...direct.map((r) => r.target_id), ...viaGroups.map((r) => r.target_id)])];
  }

  /** Roles the user holds on the target through its groups. */
  private async groupRoleIds(em: EntityManager, userId: string, target: Target): Promise<string[]> {
    if (target.type === 'system') return [];
    const rows = await em
      .createQueryBuilder(GroupAssignmentEntity, 'ga')
      .select('DISTINCT ga.role_id', 'role_id')
      .innerJoin(GroupMemberEntity.options.name, 'gm', 'gm.group_id = ga.group_id')
      .where('gm.user_id = :userId AND ga.target_type = :type AND ga.target_id = :id', { userId, type: target.type, id: target.id })
      .getRawMany<{ role_id: string }>();
    return rows.map((r) => r.role_id);
  }

  private async memberIds(em: EntityManager, groupId: string): Promise<string[]> {
    const rows = await em.find(GroupMemberEntity, { select: { user_id: true }, where: { group_id: groupId } });
    return rows.map((r) => r.user_id);
  }

  private async exists(em: EntityManager, actor: Actor, target: Target, roleId: string): Promise<boolean> {
    if (actor.kind === 'group') return (await em.findOneBy(GroupAssignmentEntity, groupRow(actor.id, target, roleId))) !== null;
    const row = { actor_id: actor.id, target_type: target.type, target_id: target.id, role_id: roleId };
    return (await em.findOneBy(RoleAssignmentEntity, row)) !== null;
  }

  private async directRoleIds(em: EntityManager, userId: string, target: Target): Promise<string[]> {
    const rows = await em.find(RoleAssignmentEntity, {
      select: { role_id: true },
      where: { actor_id: userId, target_type: target.type, target_id: target.id },
    });
    return rows.map((r) => r.role_id);
  }

  /** Keystone resolves the role, then the user or group, then the target, each with its own 404. */
  private async requireParties(em: EntityManager, actor: Actor, target: Target, roleId: string): Promise<void> {
    await this.roles.require(em, roleId);
    await this.requireActor(em, actor);
    await this.requireTarget(em, target);
  }

  private async requireActor(em: EntityManager, actor: Actor): Promise<void> {
    const found =
      actor.kind === 'user' ? await em.findOneBy(UserEntity, { id: actor.id }) : await em.findOneBy(GroupEntity, { id: actor.id });
    if (!found) throw notFound(actor.kind, actor.id);
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

function tokenFilter(who: Pick<RevokeFilter, 'userId' | 'userIds'>, target: Target): RevokeFilter {
  if (target.type === 'project') return { ...who, projectId: target.id };
  if (target.type === 'domain') return { ...who, domainId: target.id, scopeType: 'domain' };
  return { ...who, scopeType: 'system' };
}

function groupRow(groupId: string, target: Target, roleId: string): GroupAssignmentRow {
  return { group_id: groupId, target_type: target.type as GroupTargetType, target_id: target.id, role_id: roleId };
}

