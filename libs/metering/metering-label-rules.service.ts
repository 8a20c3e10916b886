import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ApiObject, ListQuery, RequestContext, ResourceService } from '../api/resource/resource-definition.js';
import { runListQuery } from '../api/sql/list-query.js';
import { isPostgres, sqlFlag } from '../db/index.js';
import { meteringLabelRuleAttributes } from './metering.definition.js';
import { MeteringLabelEntity, MeteringLabelRuleEntity, type MeteringLabelRuleRow } from './metering.entities.js';
import { meteringLabelNotFound, meteringLabelRuleNotFound, meteringLabelRuleOverlaps, notImplemented } from './metering.errors.js';
import { prefixesOverlap, validateRulePrefixes } from './rule-prefixes.js';

/**
 * MeteringDbMixin's rule half with MeteringPlugin's checks. Rules have no project: they are read unscoped and the
 * policy decides (by default only admins see them, as in Neutron).
 */
@Injectable()
export class MeteringLabelRulesService implements ResourceService {
  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    const qb = ctx.em.getRepository(MeteringLabelRuleEntity).createQueryBuilder('r');
    const rows = await runListQuery(ctx.em, qb, query, { alias: 'r', attributes: meteringLabelRuleAttributes, notFound: meteringLabelRuleNotFound });
    return rows.map(presentRule);
  }

  async get(ctx: RequestContext, id: string): Promise<ApiObject | undefined> {
    const row = await ctx.em.getRepository(MeteringLabelRuleEntity).findOneBy({ id });
    return row ? presentRule(row) : undefined;
  }

  /** validate_metering_label_rule → the label exists (404) → check_for_rule_overlaps (409) → the row. */
  async create(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const prefixes = validateRulePrefixes(item);
    const labelId = item.metering_label_id as string;
    const direction = item.direction as MeteringLabelRuleRow['direction'];
    const excluded = item.excluded as boolean;
    const qb = ctx.em.getRepository(MeteringLabelEntity).createQueryBuilder('l').where('l.id = :id', { id: labelId });
    // rules of one label are written one at a time (the overlap check reads its siblings)
    if (ctx.forUpdate && isPostgres(ctx.em)) qb.setLock('pessimistic_write');
    if (!(await qb.getOne())) throw meteringLabelNotFound(labelId);
    if (prefixes.remote_ip_prefix) {
      const siblings = await ctx.em.getRepository(MeteringLabelRuleEntity).findBy({ metering_label_id: labelId, direction, excluded });
      for (const other of siblings) {
        if (other.remote_ip_prefix && prefixesOverlap(other.remote_ip_prefix, prefixes.remote_ip_prefix)) throw meteringLabelRuleOverlaps(prefixes.remote_ip_prefix);
      }
    }
    const row: MeteringLabelRuleRow = { id: randomUUID(), metering_label_id: labelId, direction, excluded, ...prefixes };
    await ctx.em.getRepository(MeteringLabelRuleEntity).insert(row);
    return presentRule(row);
  }

  async update(): Promise<ApiObject> {
    throw notImplemented();
  }

  async delete(ctx: RequestContext, current: ApiObject): Promise<void> {
    await ctx.em.getRepository(MeteringLabelRuleEntity).delete({ id: current.id as string });
  }
}

/** _make_metering_label_rule_dict: no project. */
export function presentRule(row: MeteringLabelRuleRow | Record<string, unknown>): ApiObject {
  return {
    id: row.id,
    metering_label_id: row.metering_label_id,
    direction: row.direction,
    remote_ip_prefix: row.remote_ip_prefix ?? null,
    source_ip_prefix: row.source_ip_prefix ?? null,
    destination_ip_prefix: row.destination_ip_prefix ?? null,
    excluded: sqlFlag(row.excluded),
  };
}
