import { isPostgres } from '../db/index.js';
import { Inject, Injectable } from '@nestjs/common';
import type { ApiObject, ListQuery, RequestContext, ResourceService } from '../api/resource/resource-definition.js';
import { presentStandard, revised } from '../api/resource/standard-row.js';
import { runListQuery } from '../api/sql/list-query.js';
import { QuotasService } from '../quotas/quotas.service.js';
import { createGroup, PortSecurityGroupsService } from './port-security-groups.service.js';
import { loadRulesForGroups, presentRule } from './rule.store.js';
import { securityGroupAttributes } from './security-group.definition.js';
import {
  DefaultSecurityGroupEntity,
  SecurityGroupEntity,
  type SecurityGroupRow,
  SecurityGroupRuleEntity,
} from './security-group.entities.js';
import { cannotRemoveDefault, cannotUpdateDefault, securityGroupInUse, securityGroupNotFound } from './security-group.errors.js';

/** securitygroups_db's group half: scoped to the caller's project (admins see all), rules embedded. */
@Injectable()
export class SecurityGroupsService implements ResourceService {
  constructor(
    @Inject(QuotasService) private readonly quotas: QuotasService,
    @Inject(PortSecurityGroupsService) private readonly groups: PortSecurityGroupsService,
  ) {}

  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    await this.groups.ensureForList(ctx, query);
    const qb = ctx.em.getRepository(SecurityGroupEntity).createQueryBuilder('g');
    if (!ctx.isAdmin) qb.where('g.project_id = :owner', { owner: ctx.projectId });
    const rows = await runListQuery(ctx.em, qb, query, {
      alias: 'g',
      attributes: securityGroupAttributes,
      taggable: true,
      notFound: securityGroupNotFound,
    });
    const ids = rows.map((r) => r.id);
    const wantRules = !query.fields.length || query.fields.includes('security_group_rules');
    const rules = wantRules ? await loadRulesForGroups(ctx.em, ids) : undefined;
    return rows.map((row) => this.present(row, rules ? (rules.get(row.id) ?? []).map(presentRule) : undefined));
  }

  async get(ctx: RequestContext, id: string): Promise<ApiObject | undefined> {
    const row = await this.findRow(ctx, id);
    if (!row || (!ctx.isAdmin && row.project_id !== ctx.projectId)) return undefined;
    const rules = await loadRulesForGroups(ctx.em, [id]);
    return this.present(row, (rules.get(id) ?? []).map(presentRule));
  }

  async create(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const projectId = item.project_id as string;
    if (projectId === ctx.projectId || ctx.isAdmin) await this.groups.ensureDefault(ctx, projectId);
    const { group, rules } = await createGroup(ctx, this.quotas, {
      projectId,
      name: item.name as string,
      description: item.description as string,
      stateful: item.stateful as boolean,
      isDefault: false,
    });
    return this.present(group, rules.map(presentRule));
  }

  async update(ctx: RequestContext, current: ApiObject, changes: ApiObject): Promise<ApiObject> {
    const id = current.id as string;
    const row = (await this.findRow(ctx, id))!;
    if ('stateful' in changes && changes.stateful !== row.stateful && (await this.groups.inUse(ctx, id))) {
      throw securityGroupInUse(id);
    }
    if (row.name === 'default' && 'name' in changes) throw cannotUpdateDefault();
    const next = revised(row, pick(changes, ['name', 'description', 'stateful']));
    await ctx.em.getRepository(SecurityGroupEntity).update({ id: next.id }, next);
    return this.present(next, current.security_group_rules as ApiObject[]);
  }

  async delete(ctx: RequestContext, current: ApiObject): Promise<void> {
    const id = current.id as string;
    if (await this.groups.inUse(ctx, id)) throw securityGroupInUse(id);
    if (current.name === 'default' && !ctx.isAdmin) throw cannotRemoveDefault();
    // The foreign keys cascade too; explicit deletes keep it independent of the dialect's FK enforcement.
    const rules = ctx.em.getRepository(SecurityGroupRuleEntity);
    await rules.delete({ security_group_id: id });
    await rules.delete({ remote_group_id: id });
    await ctx.em.getRepository(DefaultSecurityGroupEntity).delete({ security_group_id: id });
    await ctx.em.getRepository(SecurityGroupEntity).delete({ id });
  }

  private findRow(ctx: RequestContext, id: string): Promise<SecurityGroupRow | null> {
    const qb = ctx.em.getRepository(SecurityGroupEntity).createQueryBuilder('g').where('g.id = :id', { id });
    if (ctx.forUpdate && isPostgres(ctx.em)) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  private present(row: SecurityGroupRow, rules: ApiObject[] | undefined): ApiObject {
    return {
      ...presentStandard(row, undefined),
      name: row.name,
      stateful: row.stateful,
      security_group_rules: rules,
    };
  }
}

function pick(obj: ApiObject, keys: string[]): ApiObject {
  return Object.fromEntries(keys.filter((k) => k in obj).map((k) => [k, obj[k]]));
}
