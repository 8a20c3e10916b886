import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ApiObject, ListQuery, RequestContext, ResourceService } from '../api/resource/resource-definition.js';
import { runListQuery } from '../api/sql/list-query.js';
import { meteringLabelAttributes } from './metering.definition.js';
import { MeteringLabelEntity, type MeteringLabelRow, MeteringLabelRuleEntity, MeteringLabelTotalEntity } from './metering.entities.js';
import { meteringLabelNotFound, notImplemented } from './metering.errors.js';

/** MeteringDbMixin's label half: a project sees its own labels (admins all); labels are never updated. */
@Injectable()
export class MeteringLabelsService implements ResourceService {
  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    const qb = ctx.em.getRepository(MeteringLabelEntity).createQueryBuilder('l');
    if (!ctx.isAdmin) qb.where('l.project_id = :owner', { owner: ctx.projectId });
    const rows = await runListQuery(ctx.em, qb, query, { alias: 'l', attributes: meteringLabelAttributes, notFound: meteringLabelNotFound });
    return rows.map(presentLabel);
  }

  async get(ctx: RequestContext, id: string): Promise<ApiObject | undefined> {
    const row = await ctx.em.getRepository(MeteringLabelEntity).findOneBy({ id });
    if (!row || (!ctx.isAdmin && row.project_id !== ctx.projectId)) return undefined;
    return presentLabel(row);
  }

  async create(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const row: MeteringLabelRow = {
      id: randomUUID(),
      project_id: String(item.project_id ?? ''),
      name: item.name as string,
      description: item.description as string,
      shared: item.shared as boolean,
    };
    await ctx.em.getRepository(MeteringLabelEntity).insert(row);
    return presentLabel(row);
  }

  async update(): Promise<ApiObject> {
    throw notImplemented();
  }

  /** Its rules and counted totals go with it (explicitly: SQLite's foreign keys may be off). */
  async delete(ctx: RequestContext, current: ApiObject): Promise<void> {
    const id = current.id as string;
    await ctx.em.getRepository(MeteringLabelRuleEntity).delete({ metering_label_id: id });
    await ctx.em.getRepository(MeteringLabelTotalEntity).delete({ label_id: id });
    await ctx.em.getRepository(MeteringLabelEntity).delete({ id });
  }
}

export function presentLabel(row: MeteringLabelRow): ApiObject {
  return { id: row.id, name: row.name, description: row.description, shared: Boolean(row.shared), project_id: row.project_id };
}
