import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, type EntitySchema, type FindOptionsWhere, In } from 'typeorm';
import { Database } from '../../db/database.js';
import { DomainEntity, type DomainRow } from '../entities/domain.entity.js';
import { GroupAssignmentEntity, type GroupAssignmentRow } from '../entities/group-assignment.entity.js';
import { GroupEntity, GroupMemberEntity, type GroupRow } from '../entities/group.entity.js';
import { ProjectEntity, type ProjectRow } from '../entities/project.entity.js';
import { RoleAssignmentEntity, type RoleAssignmentRow, type TargetType } from '../entities/role-assignment.entity.js';
import { RoleEntity, type RoleRow } from '../entities/role.entity.js';
import { UserEntity, type UserRow } from '../entities/user.entity.js';
import { impliedRoleNames } from './implied-roles.js';
import type { AssignmentFilter } from './assignment.store.js';

export interface NamedRef {
  id: string;
  name: string;
  domain?: { id: string; name: string };
}

/** One row of GET /v3/role_assignments, with names when asked for. */
export interface AssignmentView {
  /** Exactly one of user and group. */
  user?: { id: string } | NamedRef;
  group?: { id: string } | NamedRef;
  scopeType: TargetType;
  scope: { id: string } | NamedRef;
  role: { id: string } | NamedRef;
  /** Set for an assignment implied by another role (effective mode). */
  priorRoleId?: string;
  /** Set for a user's assignment held through this group (effective mode). */
  viaGroupId?: string;
}

export interface AssignmentListOptions {
  effective: boolean;
  includeNames: boolean;
}

/** A user's or a group's assignment, before rendering. */
interface Item {
  actor: 'user' | 'group';
  actorId: string;
  targetType: TargetType;
  targetId: string;
  roleId: string;
  prior?: string;
  viaGroup?: string;
}

/**
 * GET /v3/role_assignments: one query for the users' assignments, one for the groups' (joined to their members in
 * effective mode, as Keystone replaces a group's assignment by its members'), then one IN (…) query per related
 * table for names and implied roles: the cost is O(rows returned).
 */
@Injectable()
export class AssignmentListService {
  constructor(@Inject(Database) private readonly db: Database) {}

  list(filter: AssignmentFilter, opts: AssignmentListOptions): Promise<AssignmentView[]> {
    return this.db.read(async (em) => {
      // In effective mode the role filter applies after implied roles are expanded, as in Keystone.
      const roleId = filter.roleId;
      const f = { ...filter, roleId: opts.effective ? undefined : roleId };
      let items = [...(await this.userItems(em, f)), ...(await this.groupItems(em, f, opts.effective))];
      const roles = await byId(em, RoleEntity, items.map((i) => i.roleId));
      if (opts.effective) items = await this.expand(em, items, roles);
      if (opts.effective && roleId !== undefined) items = items.filter((i) => i.roleId === roleId);
      const names = opts.includeNames ? await this.names(em, items, roles) : undefined;
      return items.map((i) => view(i, names));
    });
  }

  private async userItems(em: EntityManager, f: AssignmentFilter): Promise<Item[]> {
    if (f.groupId !== undefined) return [];
    const rows = await em.findBy(RoleAssignmentEntity, userWhere(f));
    return rows.map((r) => ({ actor: 'user', actorId: r.actor_id, targetType: r.target_type, targetId: r.target_id, roleId: r.role_id }));
  }

  private async groupItems(em: EntityManager, f: AssignmentFilter, effective: boolean): Promise<Item[]> {
    if (f.system !== undefined) return [];
    if (!effective) {
      if (f.userId !== undefined) return [];
      const rows = await em.findBy(GroupAssignmentEntity, groupWhere(f));
      return rows.map((r) => ({ actor: 'group', actorId: r.group_id, targetType: r.target_type, targetId: r.target_id, roleId: r.role_id }));
    }
    const where: string[] = [];
    const params: Record<string, string> = {};
    const w = groupWhere(f);
    for (const [k, v] of Object.entries(w)) {
      where.push(`ga.${k} = :${k}`);
      params[k] = v as string;
    }
    if (f.userId !== undefined) {
      where.push('gm.user_id = :userId');
      params.userId = f.userId;
    }
    const qb = em
      .createQueryBuilder(GroupAssignmentEntity, 'ga')
      .select(['ga.group_id AS group_id', 'ga.target_type AS target_type', 'ga.target_id AS target_id', 'ga.role_id AS role_id'])
      .addSelect('gm.user_id', 'user_id')
      .innerJoin(GroupMemberEntity.options.name, 'gm', 'gm.group_id = ga.group_id');
    if (where.length) qb.where(where.join(' AND '), params);
    const rows = await qb.getRawMany<GroupAssignmentRow & { user_id: string }>();
    return rows.map((r) => ({
      actor: 'user',
      actorId: r.user_id,
      targetType: r.target_type,
      targetId: r.target_id,
      roleId: r.role_id,
      viaGroup: r.group_id,
    }));
  }

  private async expand(em: EntityManager, items: Item[], roles: Map<string, RoleRow>): Promise<Item[]> {
    const impliedNames = impliedRoleNames([...roles.values()].map((r) => r.name));
    const implied = impliedNames.length ? await em.findBy(RoleEntity, { name: In(impliedNames) }) : [];
    for (const r of implied) roles.set(r.id, r);
    const byName = new Map([...roles.values()].map((r) => [r.name, r]));
    const out: Item[] = [];
    const seen = new Set<string>();
    const push = (item: Item) => {
      const key = `${item.actor}|${item.actorId}|${item.targetType}|${item.targetId}|${item.roleId}|${item.prior ?? ''}|${item.viaGroup ?? ''}`;
      if (!seen.has(key)) out.push(item), seen.add(key);
    };
    for (const item of items) {
      push(item);
      const name = roles.get(item.roleId)?.name;
      if (!name) continue;
      for (const impliedName of impliedRoleNames([name])) {
        const role = byName.get(impliedName);
        if (role) push({ ...item, roleId: role.id, prior: item.roleId });
      }
    }
    return out;
  }

  private async names(em: EntityManager, items: Item[], roles: Map<string, RoleRow>): Promise<Names> {
    const users = await byId(em, UserEntity, items.filter((i) => i.actor === 'user').map((i) => i.actorId));
    const groups = await byId(em, GroupEntity, items.filter((i) => i.actor === 'group').map((i) => i.actorId));
    const projects = await byId(em, ProjectEntity, items.filter((i) => i.targetType === 'project').map((i) => i.targetId));
    const domainIds = [
      ...[...users.values()].map((u) => u.domain_id),
      ...[...groups.values()].map((g) => g.domain_id),
      ...[...projects.values()].map((p) => p.domain_id),
      ...items.filter((i) => i.targetType === 'domain').map((i) => i.targetId),
    ];
    return { users, groups, projects, domains: await byId(em, DomainEntity, domainIds), roles };
  }
}

function userWhere(f: AssignmentFilter): Partial<RoleAssignmentRow> {
  const w: Partial<RoleAssignmentRow> = {};
  if (f.userId !== undefined) w.actor_id = f.userId;
  if (f.roleId !== undefined) w.role_id = f.roleId;
  if (f.projectId !== undefined) Object.assign(w, { target_type: 'project', target_id: f.projectId });
  if (f.domainId !== undefined) Object.assign(w, { target_type: 'domain', target_id: f.domainId });
  if (f.system !== undefined) Object.assign(w, { target_type: 'system', target_id: f.system });
  return w;
}

function groupWhere(f: AssignmentFilter): Partial<GroupAssignmentRow> {
  const w: Partial<GroupAssignmentRow> = {};
  if (f.groupId !== undefined) w.group_id = f.groupId;
  if (f.roleId !== undefined) w.role_id = f.roleId;
  if (f.projectId !== undefined) Object.assign(w, { target_type: 'project', target_id: f.projectId });
  if (f.domainId !== undefined) Object.assign(w, { target_type: 'domain', target_id: f.domainId });
  return w;
}

async function byId<T extends { id: string }>(em: EntityManager, entity: EntitySchema<T>, ids: string[]): Promise<Map<string, T>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await em.findBy(entity, { id: In(unique) } as FindOptionsWhere<T>);
  return new Map(rows.map((r) => [r.id, r]));
}

interface Names {
  users: Map<string, UserRow>;
  groups: Map<string, GroupRow>;
  projects: Map<string, ProjectRow>;
  domains: Map<string, DomainRow>;
  roles: Map<string, RoleRow>;
}

function view(i: Item, n: Names | undefined): AssignmentView {
  const v: AssignmentView = { scopeType: i.targetType, scope: { id: i.targetId }, role: { id: i.roleId } };
  v[i.actor] = { id: i.actorId };
  if (i.prior) v.priorRoleId = i.prior;
  if (i.viaGroup) v.viaGroupId = i.viaGroup;
  if (!n) return v;
  const domainRef = (id: string) => ({ id, name: n.domains.get(id)?.name ?? '' });
  const actor = i.actor === 'user' ? n.users.get(i.actorId) : n.groups.get(i.actorId);
  if (actor) v[i.actor] = { id: actor.id, name: actor.name, domain: domainRef(actor.domain_id) };
  const role = n.roles.get(i.roleId);
  if (role) v.role = { id: role.id, name: role.name };
  if (i.targetType === 'project') {
    const p = n.projects.get(i.targetId);
    if (p) v.scope = { id: p.id, name: p.name, domain: domainRef(p.domain_id) };
  } else if (i.targetType === 'domain') {
    v.scope = domainRef(i.targetId);
  }
  return v;
}
