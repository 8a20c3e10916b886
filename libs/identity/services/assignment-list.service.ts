import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, type EntitySchema, type FindOptionsWhere, In } from 'typeorm';
import { Database } from '../../db/database.js';
import { DomainEntity, type DomainRow } from '../entities/domain.entity.js';
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
  user: { id: string } | NamedRef;
  scopeType: TargetType;
  scope: { id: string } | NamedRef;
  role: { id: string } | NamedRef;
  /** Set for an assignment implied by another role (effective mode). */
  priorRoleId?: string;
}

export interface AssignmentListOptions {
  effective: boolean;
  includeNames: boolean;
}

/**
 * GET /v3/role_assignments: one query for the assignments, then one IN (…) query per related table for names and
 * implied roles: the cost is O(rows returned).
 */
@Injectable()
export class AssignmentListService {
  constructor(@Inject(Database) private readonly db: Database) {}

  list(filter: AssignmentFilter, opts: AssignmentListOptions): Promise<AssignmentView[]> {
    return this.db.read(async (em) => {
      // In effective mode the role filter applies after implied roles are expanded, as in Keystone.
      const roleId = filter.roleId;
      const rows = await em.findBy(RoleAssignmentEntity, where({ ...filter, roleId: opts.effective ? undefined : roleId }));
      const roles = await byId(em, RoleEntity, rows.map((r) => r.role_id));
      let items: { row: RoleAssignmentRow; prior?: string }[] = rows.map((row) => ({ row }));
      if (opts.effective) items = await this.expand(em, items, roles);
      if (opts.effective && roleId !== undefined) items = items.filter((i) => i.row.role_id === roleId);
      const users = opts.includeNames ? await byId(em, UserEntity, items.map((i) => i.row.actor_id)) : new Map<string, UserRow>();
      const projects = opts.includeNames
        ? await byId(em, ProjectEntity, items.filter((i) => i.row.target_type === 'project').map((i) => i.row.target_id))
        : new Map<string, ProjectRow>();
      const domainIds = [
        ...[...users.values()].map((u) => u.domain_id),
        ...[...projects.values()].map((p) => p.domain_id),
        ...items.filter((i) => i.row.target_type === 'domain').map((i) => i.row.target_id),
      ];
      const domains = opts.includeNames ? await byId(em, DomainEntity, domainIds) : new Map<string, DomainRow>();
      return items.map(({ row, prior }) => view(row, prior, opts.includeNames, { users, projects, domains, roles }));
    });
  }

  private async expand(
    em: EntityManager,
    items: { row: RoleAssignmentRow; prior?: string }[],
    roles: Map<string, RoleRow>,
  ): Promise<{ row: RoleAssignmentRow; prior?: string }[]> {
    const impliedNames = impliedRoleNames([...roles.values()].map((r) => r.name));
    const implied = impliedNames.length ? await em.findBy(RoleEntity, { name: In(impliedNames) }) : [];
    for (const r of implied) roles.set(r.id, r);
    const byName = new Map([...roles.values()].map((r) => [r.name, r]));
    const out: { row: RoleAssignmentRow; prior?: string }[] = [];
    const seen = new Set<string>();
    const push = (row: RoleAssignmentRow, prior?: string) => {
      const key = `${row.actor_id}|${row.target_type}|${row.target_id}|${row.role_id}|${prior ?? ''}`;
      if (!seen.has(key)) out.push({ row, prior }), seen.add(key);
    };
    for (const { row } of items) {
      push(row);
      const name = roles.get(row.role_id)?.name;
      if (!name) continue;
      for (const impliedName of impliedRoleNames([name])) {
        const role = byName.get(impliedName);
        if (role) push({ ...row, role_id: role.id }, row.role_id);
      }
    }
    return out;
  }
}

function where(f: AssignmentFilter): Partial<RoleAssignmentRow> {
  const w: Partial<RoleAssignmentRow> = {};
  if (f.userId !== undefined) w.actor_id = f.userId;
  if (f.roleId !== undefined) w.role_id = f.roleId;
  if (f.projectId !== undefined) Object.assign(w, { target_type: 'project', target_id: f.projectId });
  if (f.domainId !== undefined) Object.assign(w, { target_type: 'domain', target_id: f.domainId });
  if (f.system !== undefined) Object.assign(w, { target_type: 'system', target_id: f.system });
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
  projects: Map<string, ProjectRow>;
  domains: Map<string, DomainRow>;
  roles: Map<string, RoleRow>;
}

function view(row: RoleAssignmentRow, prior: string | undefined, names: boolean, n: Names): AssignmentView {
  const domainRef = (id: string) => ({ id, name: n.domains.get(id)?.name ?? '' });
  const v: AssignmentView = {
    user: { id: row.actor_id },
    scopeType: row.target_type,
    scope: { id: row.target_id },
    role: { id: row.role_id },
  };
  if (prior) v.priorRoleId = prior;
  if (!names) return v;
  const user = n.users.get(row.actor_id);
  if (user) v.user = { id: user.id, name: user.name, domain: domainRef(user.domain_id) };
  const role = n.roles.get(row.role_id);
  if (role) v.role = { id: role.id, name: role.name };
  if (row.target_type === 'project') {
    const p = n.projects.get(row.target_id);
    if (p) v.scope = { id: p.id, name: p.name, domain: domainRef(p.domain_id) };
  } else if (row.target_type === 'domain') {
    v.scope = domainRef(row.target_id);
  }
  return v;
}
