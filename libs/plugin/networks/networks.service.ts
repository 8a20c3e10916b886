import { isPostgres } from '../../db/index.js';
import { sqlBool, sqlWriteBehind } from '../../db/index.js';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import type { ApiObject, ListQuery, RequestContext, ResourceService } from '../../api/resource/resource-definition.js';
import { newStandardColumns, revised } from '../../api/resource/standard-row.js';
import { runArrayListQuery } from '../../api/sql/list-query.js';
import { loadSubnetIdsForNetworks } from '../subnets/subnet-ids.js';
import { NETWORK_PORTS, type NetworkPorts } from '../ports/network-ports.js';
import { NetworkSegmentsStore } from '../segments/network-segments.store.js';
import { updateProviderAttributes } from '../segments/provider-update.js';
import type { Segment } from '../segments/segments.contract.js';
import { networkAttributes } from './network.definition.js';
import { providerFilter, providerView } from './network-provider.js';
import { NETWORK_COLUMNS, NetworkEntity, networkFromArray, type NetworkRow } from './network.entity.js';
import { availabilityZoneNotFound, mtuTooBig, networkNotFound } from './network.errors.js';

/** Hand-written (the query builder costs more to build the statement than SQLite takes to run it, and inlines numbers). */
const INSERT_NETWORK = `INSERT INTO ${NetworkEntity.options.tableName} (${NETWORK_COLUMNS.join(', ')}) VALUES (${NETWORK_COLUMNS.map(() => '?').join(', ')})`;
/** availability_zone_hints is a simple-json column: JSON text, as TypeORM writes it. */
const insertValues = (row: NetworkRow) => NETWORK_COLUMNS.map((c) => (c === 'availability_zone_hints' ? JSON.stringify(row[c]) : row[c]));

@Injectable()
export class NetworksService implements ResourceService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(NETWORK_PORTS) private readonly ports: NetworkPorts,
    @Inject(NetworkSegmentsStore) private readonly segments: NetworkSegmentsStore,
  ) {}

  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    const qb = ctx.em.getRepository(NetworkEntity).createQueryBuilder('r');
    if (!ctx.isAdmin) {
      qb.where('(r.project_id = :owner OR r.shared = :yes OR r.router_external = :yes)', {
        owner: ctx.projectId,
        yes: sqlBool(ctx.em, true),
      });
    }
    // provider:* filters match one segment of the network on all of them (TypeManager.network_matches_filters).
    const filters = providerFilter(ctx.em, qb, 'r', query.filters);
    const arrays = await runArrayListQuery(ctx.em, qb, { ...query, filters }, {
      alias: 'r',
      attributes: networkAttributes,
      taggable: true,
      notFound: networkNotFound,
      columns: NETWORK_COLUMNS,
    });
    const rows = arrays.map(networkFromArray);
    const ids = rows.map((r) => r.id);
    const [subnets, segments] = await Promise.all([loadSubnetIdsForNetworks(ctx.em, ids), this.segments.forNetworks(ctx.em, ids)]);
    return rows.map((row) => this.present(row, subnets.get(row.id) ?? [], segments.get(row.id) ?? []));
  }

  async get(ctx: RequestContext, id: string): Promise<ApiObject | undefined> {
    const row = await this.findRow(ctx, id);
    if (!row) return undefined;
    if (!ctx.isAdmin && row.project_id !== ctx.projectId && !row.shared && !row.router_external) return undefined;
    const [subnets, segments] = await Promise.all([loadSubnetIdsForNetworks(ctx.em, [id]), this.segments.forNetworks(ctx.em, [id])]);
    return this.present(row, subnets.get(id) ?? [], segments.get(id) ?? []);
  }

  async create(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const hints = item.availability_zone_hints as string[];
    this.checkAvailabilityZones(hints);
    // Segments are reserved in this transaction: a failure later in the request gives the ids back with the rollback.
    const specs = await this.segments.reserveForNewNetwork(ctx.em, item);
    const row: NetworkRow = {
      ...newStandardColumns(item),
      name: item.name as string,
      admin_state_up: item.admin_state_up as boolean,
      status: 'ACTIVE',
      shared: item.shared as boolean,
      router_external: item['router:external'] as boolean,
      mtu: this.effectiveMtu(item.mtu as number, specs),
      port_security_enabled: item.port_security_enabled as boolean,
      availability_zone_hints: hints,
    };
    // A new id, no unique column: nothing waits for the insert's answer (checked at COMMIT).
    await sqlWriteBehind(ctx.em, INSERT_NETWORK, insertValues(row));
    const segments = await this.segments.insertForNetwork(ctx.em, row.id, specs);
    return this.present(row, [], segments);
  }

  async update(ctx: RequestContext, current: ApiObject, changes: ApiObject): Promise<ApiObject> {
    const row = (await this.findRow(ctx, current.id as string))!;
    const id = row.id;
    let segments = (await this.segments.forNetworks(ctx.em, [id])).get(id) ?? [];
    if (['provider:network_type', 'provider:physical_network', 'provider:segmentation_id'].some((a) => a in changes)) {
      await updateProviderAttributes(ctx.em, this.segments.types, current, changes, segments);
      segments = (await this.segments.forNetworks(ctx.em, [id])).get(id) ?? [];
    }
    const next = revised(row, {
      ...pick(changes, ['name', 'description', 'admin_state_up', 'shared', 'port_security_enabled']),
      ...('router:external' in changes ? { router_external: changes['router:external'] as boolean } : {}),
      ...('mtu' in changes ? { mtu: this.effectiveMtu(changes.mtu as number, segments) } : {}),
    });
    await ctx.em.getRepository(NetworkEntity).update({ id: next.id }, next);
    return this.present(next, (current.subnets as string[]) ?? [], segments);
  }

  async delete(ctx: RequestContext, current: ApiObject): Promise<void> {
    const id = current.id as string;
    // 409 NetworkInUse while ports other than DHCP-like ones exist; those are deleted with the network.
    await this.ports.deleteForNetwork(ctx, id);
    // Subnets go with the network (foreign key cascade); the subnets domain removes their tags (precommit_delete).
    await this.segments.releaseForNetwork(ctx.em, (await this.segments.forNetworks(ctx.em, [id])).get(id) ?? []);
    await ctx.em.getRepository(NetworkEntity).delete({ id });
  }

  private findRow(ctx: RequestContext, id: string): Promise<NetworkRow | null> {
    const qb = ctx.em.getRepository(NetworkEntity).createQueryBuilder('r').where('r.id = :id', { id });
    if (ctx.forUpdate && isPostgres(ctx.em)) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** Ml2Plugin._get_network_mtu: at most the smallest MTU of the segments' types; 0 means that maximum. */
  private effectiveMtu(requested: number, segments: readonly { network_type: string; physical_network: string | null }[]): number {
    const max = this.segments.types.maxMtu(segments);
    if (requested > max) throw mtuTooBig(max);
    return requested || max;
  }

  private checkAvailabilityZones(hints: string[]): void {
    const known = this.config.network.availability_zones;
    const unknown = hints.find((h) => !known.includes(h));
    if (unknown !== undefined) throw availabilityZoneNotFound(unknown);
  }

  private present(row: NetworkRow, subnets: string[], segments: readonly Segment[]): ApiObject {
    // One literal, no spread: this runs for every network of a list.
    const net: ApiObject = {
      id: row.id,
      project_id: row.project_id,
      tenant_id: row.project_id,
      description: row.description,
      created_at: row.created_at,
      updated_at: row.updated_at,
      revision_number: row.revision_number,
      name: row.name,
      admin_state_up: row.admin_state_up,
      status: row.status,
      shared: row.shared,
      'router:external': row.router_external,
      mtu: row.mtu,
      port_security_enabled: row.port_security_enabled,
      availability_zone_hints: row.availability_zone_hints,
      availability_zones: [],
      subnets,
      ipv4_address_scope: null,
      ipv6_address_scope: null,
    };
    providerView(net, segments);
    return net;
  }
}

function pick(obj: ApiObject, keys: string[]): ApiObject {
  return Object.fromEntries(keys.filter((k) => k in obj).map((k) => [k, obj[k]]));
}
