import { Inject, Injectable } from '@nestjs/common';
import type { ListQuery, RequestContext } from '../api/resource/resource-definition.js';
import { newStandardColumns } from '../api/resource/standard-row.js';
import { isPostgres, sqlAnyOf, sqlArrays, sqlFlag, sqlLock, sqlRows, sqlRun, sqlWriteBehind } from '../db/index.js';
import { QuotasService } from '../quotas/quotas.service.js';
import { initialRules, newRuleRow } from './rule.store.js';
import { securityGroupConflict, securityGroupNotFound } from './security-group.errors.js';
import {
  DEFAULT_SECURITY_GROUP_TABLE,
  DefaultSecurityGroupEntity,
  PortBindingEntity,
  SECURITY_GROUPS_TABLE,
  SecurityGroupEntity,
  type SecurityGroupRow,
  SecurityGroupRuleEntity,
  type SecurityGroupRuleRow,
} from './security-group.entities.js';
import { PORT_SECURITY_GROUP_BINDINGS_TABLE, type PortSecurityGroups } from './security-groups.contract.js';

const DEFAULT_DESCRIPTION = 'Default security group';
const BINDINGS = PORT_SECURITY_GROUP_BINDINGS_TABLE;

/** What binding a port needs to know about a group. */
interface GroupFacts {
  project_id: string;
  stateful: boolean;
}

/** Runs `work` in the request's transaction, or in a new one when the request is a read (GET's default group). */
function inTransaction<T>(ctx: RequestContext, work: (tx: RequestContext) => Promise<T>): Promise<T> {
  if (ctx.em.queryRunner?.isTransactionActive) return work(ctx);
  return ctx.em.transaction((em) => work({ ...ctx, em, forUpdate: true }));
}

/** A group with its initial rules (2 egress; the default group also 2 ingress from itself), quota checked. */
export async function createGroup(
  ctx: RequestContext,
  quotas: QuotasService,
  attrs: { projectId: string; name: string; description: string; stateful: boolean; isDefault: boolean },
): Promise<{ group: SecurityGroupRow; rules: SecurityGroupRuleRow[] }> {
  // Neutron's quota_limit_check: a new group's own rules count against security_group_rule.
  await quotas.reserve(ctx, attrs.projectId, 'security_group_rule', attrs.isDefault ? 4 : 2);
  const group: SecurityGroupRow = {
    ...newStandardColumns({ project_id: attrs.projectId, description: attrs.description }),
    name: attrs.name,
    stateful: attrs.stateful,
  };
  await ctx.em.getRepository(SecurityGroupEntity).insert(group);
  const rows = initialRules(group.id, attrs.isDefault).map((spec) => newRuleRow(spec, attrs.projectId));
  await ctx.em.getRepository(SecurityGroupRuleEntity).insert(rows);
  return { group, rules: rows };
}

/** PORT_SECURITY_GROUPS: the default group and the port ↔ group bindings. */
@Injectable()
export class PortSecurityGroupsService implements PortSecurityGroups {
  /** Per request (its SQLite transaction): groups known to exist until it ends. */
  private readonly verified = new WeakMap<RequestContext, Map<string, GroupFacts>>();
  /** Per request: default-group reads sent ahead (readDefaultEarly), taken once. */
  private readonly earlyDefaultReads = new WeakMap<RequestContext, Map<string, Promise<string | undefined>>>();

  constructor(@Inject(QuotasService) private readonly quotas: QuotasService) {}

  /**
   * Sends the read of the project's default group now, without waiting (a port's before_create, where Neutron ensures
   * the group): the port's fragment takes the answer later, and on PostgreSQL the read rides with the port's insert.
   */
  readDefaultEarly(ctx: RequestContext, projectId: string): void {
    if (!projectId || (projectId !== ctx.projectId && !ctx.isAdmin)) return;
    const read = this.readDefaultGroupId(ctx, projectId);
    read.catch(() => undefined); // the fragment awaits it; a request failing before then drops it
    let reads = this.earlyDefaultReads.get(ctx);
    if (!reads) this.earlyDefaultReads.set(ctx, (reads = new Map()));
    reads.set(projectId, read);
  }

  async ensureDefault(ctx: RequestContext, projectId: string): Promise<string> {
    return (await this.defaultGroupId(ctx, projectId)) ?? inTransaction(ctx, (tx) => this.createDefault(tx, projectId));
  }

  /**
   * A list of groups or rules creates the default group of the project listed (the filter's, else the caller's) as
   * Neutron does; never another project's unless the caller is admin (bug 1987410).
   */
  async ensureForList(ctx: RequestContext, query: ListQuery): Promise<void> {
    const filter = query.filters.find((f) => f.attr === 'project_id');
    const projectId = filter ? String(filter.values[0]) : ctx.projectId;
    if (!projectId || (projectId !== ctx.projectId && !ctx.isAdmin)) return;
    await this.ensureDefault(ctx, projectId);
  }

  async bindPort(ctx: RequestContext, portId: string, projectId: string, securityGroupIds: string[], opts: { newPort?: boolean } = {}): Promise<void> {
    const ids = [...new Set(securityGroupIds)];
    const groups = await this.groupFacts(ctx, ids);
    const usable = new Set(ids.filter((id) => groups.has(id) && (ctx.isAdmin || !projectId || groups.get(id)!.project_id === projectId)));
    const missing = ids.filter((id) => !usable.has(id));
    if (missing.length) throw securityGroupNotFound(missing.join(', '));
    if (new Set([...groups.values()].map((g) => g.stateful)).size > 1) {
      throw securityGroupConflict('Cannot apply both stateful and stateless security groups on the same port at the same time');
    }
    if (!opts.newPort) await this.unbindPort(ctx, portId);
    if (ids.length) {
      const values = ids.map(() => '(?, ?)').join(', ');
      // The groups are share-locked (or known) and the port is this transaction's: nothing waits for this answer.
      await sqlWriteBehind(ctx.em, `INSERT INTO ${BINDINGS} (port_id, security_group_id) VALUES ${values}`, ids.flatMap((id) => [portId, id]));
    }
  }

  async unbindPort(ctx: RequestContext, portId: string): Promise<void> {
    await sqlRun(ctx.em, `DELETE FROM ${BINDINGS} WHERE port_id = ?`, [portId]);
  }

  async loadForPorts(ctx: RequestContext, portIds: string[]): Promise<Map<string, string[]>> {
    const byPort = new Map<string, string[]>();
    if (!portIds.length) return byPort;
    const [cond, param] = sqlAnyOf(ctx.em, 'port_id', portIds);
    const rows = await sqlArrays(ctx.em, `SELECT port_id, security_group_id FROM ${BINDINGS} WHERE ${cond}`, [param]);
    for (const [portId, groupId] of rows as [string, string][]) {
      const list = byPort.get(portId);
      if (list) list.push(groupId);
      else byPort.set(portId, [groupId]);
    }
    for (const list of byPort.values()) if (list.length > 1) list.sort();
    return byPort;
  }

  /** Whether any port uses the group (SecurityGroupInUse on delete and on a stateful change). */
  async inUse(ctx: RequestContext, groupId: string): Promise<boolean> {
    return ctx.em.getRepository(PortBindingEntity).existsBy({ security_group_id: groupId });
  }

  /**
   * The project's default group. Inside a transaction its facts are kept for bindPort, which then need not read them
   * again: on SQLite (one writer at a time, foreign keys on) the group cannot vanish before this transaction ends, and
   * PostgreSQL share-locks the group row here as bindPort's own read would.
   */
  private defaultGroupId(ctx: RequestContext, projectId: string): Promise<string | undefined> {
    const early = this.earlyDefaultReads.get(ctx)?.get(projectId);
    if (!early) return this.readDefaultGroupId(ctx, projectId);
    this.earlyDefaultReads.get(ctx)!.delete(projectId);
    return early;
  }

  private async readDefaultGroupId(ctx: RequestContext, projectId: string): Promise<string | undefined> {
    const inTransaction = ctx.em.queryRunner?.isTransactionActive === true;
    const lock = inTransaction && isPostgres(ctx.em) ? ' FOR SHARE OF g' : '';
    const [row] = await sqlRows<{ id: string; stateful: unknown }>(
      ctx.em,
      `SELECT g.id AS id, g.stateful AS stateful FROM ${DEFAULT_SECURITY_GROUP_TABLE} d JOIN ${SECURITY_GROUPS_TABLE} g ON g.id = d.security_group_id ` +
        `WHERE d.project_id = ?${lock}`,
      [projectId],
    );
    if (row && inTransaction) this.knownGroups(ctx).set(row.id, { project_id: projectId, stateful: sqlFlag(row.stateful) });
    return row?.id;
  }

  /** Groups known to exist in this request's transaction. */
  private knownGroups(ctx: RequestContext): Map<string, GroupFacts> {
    let known = this.verified.get(ctx);
    if (!known) this.verified.set(ctx, (known = new Map()));
    return known;
  }

  /** Project and statefulness of the groups that exist among `ids`; a group being deleted waits for this binding to commit (and then finds it), or this waits and misses it. */
  private async groupFacts(ctx: RequestContext, ids: string[]): Promise<Map<string, GroupFacts>> {
    const known = this.verified.get(ctx);
    const facts = new Map<string, GroupFacts>();
    const unknown: string[] = [];
    for (const id of ids) {
      const fact = known?.get(id);
      if (fact) facts.set(id, fact);
      else unknown.push(id);
    }
    if (!unknown.length) return facts;
    const [cond, param] = sqlAnyOf(ctx.em, 'id', unknown);
    const rows = await sqlRows<{ id: string; project_id: string; stateful: unknown }>(
      ctx.em,
      `SELECT id, project_id, stateful FROM ${SECURITY_GROUPS_TABLE} WHERE ${cond}${sqlLock(ctx.em, 'SHARE')}`,
      [param],
    );
    for (const row of rows) facts.set(row.id, { project_id: row.project_id, stateful: sqlFlag(row.stateful) });
    return facts;
  }

  /**
   * The primary key of default_security_group picks one winner among concurrent first requests: a loser's insert
   * is ignored (after waiting for the winner's commit on PostgreSQL), it drops its own group and returns the winner's.
   */
  private async createDefault(ctx: RequestContext, projectId: string): Promise<string> {
    const { group } = await createGroup(ctx, this.quotas, {
      projectId,
      name: 'default',
      description: DEFAULT_DESCRIPTION,
      stateful: true,
      isDefault: true,
    });
    await ctx.em
      .getRepository(DefaultSecurityGroupEntity)
      .createQueryBuilder()
      .insert()
      .values({ project_id: projectId, security_group_id: group.id })
      .orIgnore()
      .execute();
    const winner = (await this.defaultGroupId(ctx, projectId))!;
    if (winner !== group.id) {
      await ctx.em.getRepository(SecurityGroupRuleEntity).delete({ security_group_id: group.id });
      await ctx.em.getRepository(SecurityGroupEntity).delete({ id: group.id });
    }
    return winner;
  }
}
