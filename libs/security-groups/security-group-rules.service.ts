import { methodNotAllowed } from '../api/errors/neutron-error.js';
import { Inject, Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { bumpRevision } from '../api/engine/tags-handler.js';
import type { ApiObject, ListQuery, RequestContext, ResourceService } from '../api/resource/resource-definition.js';
import { runListQuery } from '../api/sql/list-query.js';
import { PortSecurityGroupsService } from './port-security-groups.service.js';
import { canonicalRule, ruleKey } from './rule-validation.js';
import { insertRule, newRuleRow, presentRule } from './rule.store.js';
import { securityGroupRuleAttributes } from './security-group.definition.js';
import {
  SECURITY_GROUPS_TABLE,
  SecurityGroupEntity,
  SecurityGroupRuleEntity,
  type SecurityGroupRuleRow,
} from './security-group.entities.js';
import {
  duplicateRuleInPost,
  notSingleGroupRules,
  ruleExists,
  rulesNotSingleTenant,
  securityGroupNotFound,
  securityGroupRuleNotFound,
} from './security-group.errors.js';

/** What the items of one (bulk) POST have in common: Neutron refuses mixed groups or projects, and repeats. */
interface BulkState {
  groupId: string;
  projectId: string;
  keys: Set<string>;
}

/**
 * securitygroups_db's rule half. Rules are read unscoped and the policy decides (owner of the rule or of its group,
 * as Neutron's get_security_group_rule does); lists are scoped in SQL to the same effect.
 */
@Injectable()
export class SecurityGroupRulesService implements ResourceService {
  // Keyed by the request's context: every item of one bulk POST is created with the same one.
  private readonly bulk = new WeakMap<RequestContext, BulkState>();

  constructor(@Inject(PortSecurityGroupsService) private readonly groups: PortSecurityGroupsService) {}

  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    await this.groups.ensureForList(ctx, query);
    const qb = ctx.em.getRepository(SecurityGroupRuleEntity).createQueryBuilder('r');
    if (!ctx.isAdmin) {
      qb.where(
        `(r.project_id = :owner OR EXISTS (SELECT 1 FROM ${SECURITY_GROUPS_TABLE} sg WHERE sg.id = r.security_group_id AND sg.project_id = :owner))`,
        { owner: ctx.projectId },
      );
    }
    const rows = await runListQuery(ctx.em, qb, query, {
      alias: 'r',
      attributes: securityGroupRuleAttributes,
      notFound: securityGroupRuleNotFound,
    });
    // Only rules the caller does not own need their group's owner for the read policy.
    const foreign = ctx.isAdmin ? [] : rows.filter((r) => r.project_id !== ctx.projectId).map((r) => r.security_group_id);
    const owners = await this.groupOwners(ctx, foreign);
    return rows.map((row) => this.present(row, owners.get(row.security_group_id)));
  }

  async get(ctx: RequestContext, id: string): Promise<ApiObject | undefined> {
    const row = await ctx.em.getRepository(SecurityGroupRuleEntity).findOneBy({ id });
    if (!row) return undefined;
    const owners = await this.groupOwners(ctx, [row.security_group_id]);
    return this.present(row, owners.get(row.security_group_id));
  }

  async create(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const projectId = item.project_id as string;
    const spec = canonicalRule({
      security_group_id: item.security_group_id as string,
      direction: item.direction as string,
      ethertype: item.ethertype as string,
      protocol: item.protocol as string | null,
      port_range_min: item.port_range_min as number | null,
      port_range_max: item.port_range_max as number | null,
      remote_ip_prefix: item.remote_ip_prefix as string | null,
      remote_group_id: (item.remote_group_id as string | null) || null,
    });
    const key = ruleKey(spec);
    this.checkBulk(ctx, spec.security_group_id, projectId, key);
    if (spec.remote_group_id) await this.usableGroup(ctx, spec.remote_group_id, projectId);
    const group = await this.usableGroup(ctx, spec.security_group_id, projectId);
    const row = newRuleRow(spec, projectId, item.description as string);
    const existing = await insertRule(ctx.em, row);
    if (existing) throw ruleExists(existing);
    await bumpRevision(ctx, SECURITY_GROUPS_TABLE, group.id);
    return this.present(row, group.project_id);
  }

  /** Neutron has no update_security_group_rule (its API crashes with a 500 on PUT): rules cannot be changed. */
  async update(): Promise<ApiObject> {
    throw methodNotAllowed('PUT');
  }

  async delete(ctx: RequestContext, current: ApiObject): Promise<void> {
    await ctx.em.getRepository(SecurityGroupRuleEntity).delete({ id: current.id as string });
    await bumpRevision(ctx, SECURITY_GROUPS_TABLE, current.security_group_id as string);
  }

  /** _validate_single_tenant_and_group and the duplicate check among the new rules of one POST. */
  private checkBulk(ctx: RequestContext, groupId: string, projectId: string, key: string): void {
    const state = this.bulk.get(ctx);
    if (!state) {
      this.bulk.set(ctx, { groupId, projectId, keys: new Set([key]) });
      return;
    }
    if (state.groupId !== groupId) throw notSingleGroupRules();
    if (state.projectId !== projectId) throw rulesNotSingleTenant();
    if (state.keys.has(key)) throw duplicateRuleInPost();
    state.keys.add(key);
  }

  /** _check_security_group: the group exists and the rule's project may use it (admins any), else 404. */
  private async usableGroup(ctx: RequestContext, id: string, projectId: string): Promise<{ id: string; project_id: string }> {
    const group = await ctx.em.getRepository(SecurityGroupEntity).findOne({ select: { id: true, project_id: true }, where: { id } });
    if (!group || (!ctx.isAdmin && group.project_id !== projectId)) throw securityGroupNotFound(id);
    return group;
  }

  private async groupOwners(ctx: RequestContext, groupIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(groupIds)];
    if (!ids.length) return new Map();
    const groups = await ctx.em.getRepository(SecurityGroupEntity).find({ select: { id: true, project_id: true }, where: { id: In(ids) } });
    return new Map(groups.map((g) => [g.id, g.project_id]));
  }

  /** The rule plus its group's owner, which the get_security_group_rule policy reads (stripped when rendered). */
  private present(row: SecurityGroupRuleRow, groupOwner: string | undefined): ApiObject {
    return { ...presentRule(row), ...(groupOwner !== undefined ? { 'security_group:tenant_id': groupOwner } : {}) };
  }
}
