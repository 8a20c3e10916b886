import { anyOf } from '../db/index.js';
import { Inject, Injectable } from '@nestjs/common';
import type { ListQuery, RequestContext } from '../api/resource/resource-definition.js';
import { newStandardColumns } from '../api/resource/standard-row.js';
import { QuotasService } from '../quotas/quotas.service.js';
import { initialRules, newRuleRow } from './rule.store.js';
import { securityGroupConflict, securityGroupNotFound } from './security-group.errors.js';
import {
  DefaultSecurityGroupEntity,
  PortBindingEntity,
  SecurityGroupEntity,
  type SecurityGroupRow,
  SecurityGroupRuleEntity,
  type SecurityGroupRuleRow,
} from './security-group.entities.js';
import type { PortSecurityGroups } from './security-groups.contract.js';

const DEFAULT_DESCRIPTION = 'Default security group';

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
  constructor(@Inject(QuotasService) private readonly quotas: QuotasService) {}

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

  async bindPort(ctx: RequestContext, portId: string, projectId: string, securityGroupIds: string[]): Promise<void> {
    const ids = [...new Set(securityGroupIds)];
    const qb = ctx.em
      .getRepository(SecurityGroupEntity)
      .createQueryBuilder('g')
      .select(['g.id', 'g.project_id', 'g.stateful'])
      .where('g.id IN (:...ids)', { ids });
    // A group being deleted waits for this binding to commit (and then finds it), or this waits and gets the 404.
    if (ctx.em.connection.options.type === 'postgres' && ctx.em.queryRunner?.isTransactionActive) qb.setLock('pessimistic_read');
    const groups = ids.length ? await qb.getMany() : [];
    const usable = new Set(groups.filter((g) => ctx.isAdmin || !projectId || g.project_id === projectId).map((g) => g.id));
    const missing = ids.filter((id) => !usable.has(id));
    if (missing.length) throw securityGroupNotFound(missing.join(', '));
    if (new Set(groups.map((g) => g.stateful)).size > 1) {
      throw securityGroupConflict('Cannot apply both stateful and stateless security groups on the same port at the same time');
    }
    const bindings = ctx.em.getRepository(PortBindingEntity);
    await bindings.delete({ port_id: portId });
    if (ids.length) await bindings.insert(ids.map((id) => ({ port_id: portId, security_group_id: id })));
  }

  async unbindPort(ctx: RequestContext, portId: string): Promise<void> {
    await ctx.em.getRepository(PortBindingEntity).delete({ port_id: portId });
  }

  async loadForPorts(ctx: RequestContext, portIds: string[]): Promise<Map<string, string[]>> {
    const byPort = new Map<string, string[]>();
    if (!portIds.length) return byPort;
    const rows = await ctx.em
      .getRepository(PortBindingEntity)
      .find({ where: { port_id: anyOf(ctx.em, portIds) }, order: { port_id: 'ASC', security_group_id: 'ASC' } });
    for (const row of rows) {
      const list = byPort.get(row.port_id);
      if (list) list.push(row.security_group_id);
      else byPort.set(row.port_id, [row.security_group_id]);
    }
    return byPort;
  }

  /** Whether any port uses the group (SecurityGroupInUse on delete and on a stateful change). */
  async inUse(ctx: RequestContext, groupId: string): Promise<boolean> {
    return ctx.em.getRepository(PortBindingEntity).existsBy({ security_group_id: groupId });
  }

  private async defaultGroupId(ctx: RequestContext, projectId: string): Promise<string | undefined> {
    const row = await ctx.em.getRepository(DefaultSecurityGroupEntity).findOneBy({ project_id: projectId });
    return row?.security_group_id;
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
