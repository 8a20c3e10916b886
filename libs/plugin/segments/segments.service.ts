import { isPostgres } from '../../db/index.js';
import { Inject, Injectable } from '@nestjs/common';
import type { ApiObject, ListQuery, RequestContext, ResourceService } from '../../api/resource/resource-definition.js';
import { runListQuery } from '../../api/sql/list-query.js';
import { neutronTimestamp } from '../../db/index.js';
import { NetworkEntity } from '../networks/network.entity.js';
import { mtuTooBig, networkNotFound } from '../networks/network.errors.js';
import { NetworkSegmentsStore } from './network-segments.store.js';
import { segmentAttributes } from './segment.definition.js';
import { SegmentEntity, type SegmentRow } from './segment.entity.js';
import { segmentNotFound } from './segment.errors.js';
import type { SegmentSpec } from './type-driver.js';

/** /v2.0/segments (Neutron's segments service plug-in with ML2's reserve/release on create/delete); admin-only by policy. */
@Injectable()
export class SegmentsService implements ResourceService {
  constructor(@Inject(NetworkSegmentsStore) private readonly store: NetworkSegmentsStore) {}

  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    const qb = ctx.em.getRepository(SegmentEntity).createQueryBuilder('r');
    const rows = await runListQuery(ctx.em, qb, query, { alias: 'r', attributes: segmentAttributes, notFound: segmentNotFound });
    return rows.map(present);
  }

  async get(ctx: RequestContext, id: string): Promise<ApiObject | undefined> {
    const row = await this.findRow(ctx, id);
    return row ? present(row) : undefined;
  }

  async create(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const networkId = item.network_id as string;
    const network = await ctx.em.getRepository(NetworkEntity).findOneBy({ id: networkId });
    if (!network) throw networkNotFound(networkId);
    const spec: SegmentSpec = {
      network_type: item.network_type as string,
      physical_network: (item.physical_network as string | undefined) ?? null,
      segmentation_id: (item.segmentation_id as number | undefined) ?? null,
    };
    const types = this.store.types;
    types.validateProviderSegment(spec);
    const reserved = await types.reserveProviderSegment(ctx.em, spec);
    const existing = (await this.store.forNetworks(ctx.em, [networkId])).get(networkId) ?? [];
    // The network keeps its MTU, which must still fit the new segment (Ml2Plugin._handle_segment_change).
    const max = types.maxMtu([...existing, reserved]);
    if (network.mtu > max) throw mtuTooBig(max);
    const nextIndex = existing.length ? existing[existing.length - 1].segment_index + 1 : 0;
    const [row] = await this.store.insertForNetwork(ctx.em, networkId, [reserved], nextIndex, {
      name: (item.name as string | null | undefined) ?? null,
      description: (item.description as string | undefined) ?? '',
    });
    return present(row);
  }

  async update(ctx: RequestContext, current: ApiObject, changes: ApiObject): Promise<ApiObject> {
    const row = (await this.findRow(ctx, current.id as string))!;
    const next: SegmentRow = {
      ...row,
      ...('name' in changes ? { name: changes.name as string | null } : {}),
      ...('description' in changes ? { description: changes.description as string } : {}),
      revision_number: row.revision_number + 1,
      updated_at: neutronTimestamp(),
    };
    await ctx.em.getRepository(SegmentEntity).update({ id: row.id }, next);
    return present(next);
  }

  /** Neutron lets any segment go, the last one included; its id goes back to the pool. */
  async delete(ctx: RequestContext, current: ApiObject): Promise<void> {
    const row = (await this.findRow(ctx, current.id as string))!;
    await ctx.em.getRepository(SegmentEntity).delete({ id: row.id });
    await this.store.types.releaseSegment(ctx.em, row);
  }

  private findRow(ctx: RequestContext, id: string): Promise<SegmentRow | null> {
    const qb = ctx.em.getRepository(SegmentEntity).createQueryBuilder('r').where('r.id = :id', { id });
    if (ctx.forUpdate && isPostgres(ctx.em)) qb.setLock('pessimistic_write');
    return qb.getOne();
  }
}

function present(row: SegmentRow): ApiObject {
  return {
    id: row.id,
    network_id: row.network_id,
    name: row.name,
    description: row.description,
    network_type: row.network_type,
    physical_network: row.physical_network,
    segmentation_id: row.segmentation_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    revision_number: row.revision_number,
  };
}
