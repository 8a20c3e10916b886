import { Inject, Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { type ApiObject, keepJoinedRows, keepReading, type ListQuery, type RequestContext, type ResourceService } from '../../api/resource/resource-definition.js';
import { newStandardColumns, revised } from '../../api/resource/standard-row.js';
import { runArrayListQuery } from '../../api/sql/list-query.js';
import { deleteAllTags } from '../../api/tags/tag.store.js';
import { isPostgres } from '../../db/index.js';
import { type FixedIp, type FixedIpRequest, IPAM, type Ipam } from '../ipam/ipam.contract.js';
import { macGenerator } from './mac-address.js';
import type { NetworkPorts } from './network-ports.js';
import { portAttributes, portNotFound } from './port.definition.js';
import { PortEntity, type PortRow } from './port.entity.js';
import { macAddressGenerationFailure, macInUse, networkInUse, unsupportedMacUpdate } from './ports.errors.js';
import { portCustomFilters } from './port-filters.js';
import { networkNotFound, PortNetworks, seesAllPorts } from './port-network.js';
import { completePorts, presentPort, presentPortArray } from './port-presenter.js';
import { addressesKeptOnMacChange, isTrusted } from './port-rules.js';
import { insertPortRow, PORT_COLUMNS, selectPortRow } from './port-sql.js';
import { AUTO_DELETE_PORT_OWNERS } from './ports.contract.js';

const MAC_ATTEMPTS = 16;

/**
 * Ports, their fixed IPs and MACs. Every other port attribute is a fragment of its own domain, and every reaction to
 * a port write is a subscriber of the resource events: both run around these methods (ResourceWriter).
 */
@Injectable()
export class PortsService implements ResourceService, NetworkPorts {
  private readonly nextMac: () => string;
  private readonly networks = new PortNetworks();
  private readonly filters = portCustomFilters('r');

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(IPAM) private readonly ipam: Ipam,
  ) {
    this.nextMac = macGenerator(config.network.base_mac);
  }

  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    const qb = ctx.em.getRepository(PortEntity).createQueryBuilder('r');
    if (!seesAllPorts(ctx)) {
      // Neutron's port scoping: own ports and every port on an own network.
      qb.where('(r.project_id = :owner OR r.network_id IN (SELECT n.id FROM networks n WHERE n.project_id = :owner))', {
        owner: ctx.projectId,
      });
    }
    const rows = await runArrayListQuery(ctx.em, qb, query, {
      alias: 'r',
      attributes: portAttributes,
      customFilters: this.filters,
      taggable: true,
      notFound: portNotFound,
      columns: PORT_COLUMNS,
    });
    const ports = rows.map(presentPortArray);
    // Fragments kept in 1:1 tables came with the page's query (ListQuery.joins): they read these rows.
    if (query.joins?.length) keepJoinedRows(ports, rows, PORT_COLUMNS.length);
    // The addresses are read with the fragments' rows (ResourceWriter.load): one round trip on PostgreSQL.
    return keepReading(ports, completePorts(ctx, this.ipam, ports, query.fields));
  }

  async get(ctx: RequestContext, id: string): Promise<ApiObject | undefined> {
    const row = await this.findRow(ctx, id);
    if (!row) return undefined;
    if (!seesAllPorts(ctx) && row.project_id !== ctx.projectId) {
      const net = await this.networks.find(ctx, row.network_id);
      if (net?.project_id !== ctx.projectId) return undefined;
    }
    const port = presentPort(row, undefined, undefined);
    await completePorts(ctx, this.ipam, [port], []);
    return port;
  }

  /** The engine's policy target: network keys always, and on create Neutron's network ownership check first. */
  async policyTarget(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const networkId = item.network_id as string;
    // A create's subnets read goes out with the network's (one round trip on PostgreSQL): the allocation takes it.
    if (!('id' in item)) this.ipam.readSubnetsEarly(ctx, networkId);
    const net = await this.networks.find(ctx, networkId);
    if (!('id' in item)) this.networks.checkCreate(ctx, networkId, net, item.project_id as string);
    return this.networks.policyKeys(net);
  }

  async create(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const networkId = item.network_id as string;
    const net = await this.networks.find(ctx, networkId);
    if (!net) throw networkNotFound(networkId);
    const explicitMac = typeof item.mac_address === 'string';
    const row: PortRow = {
      ...newStandardColumns(item),
      name: item.name as string,
      network_id: networkId,
      mac_address: explicitMac ? (item.mac_address as string) : this.nextMac(),
      admin_state_up: item.admin_state_up as boolean,
      status: 'DOWN',
      device_id: item.device_id as string,
      device_owner: item.device_owner as string,
    };
    // Sent by policyTarget for an API create (else now): allocate takes its answer.
    this.ipam.readSubnetsEarly(ctx, networkId);
    // The allocation starts with the insert (on PostgreSQL its free-range read rides with it) and writes the port's
    // addresses once the row is in. The insert's error (a MAC in use) comes first, as when they ran one after the other.
    const inserted = this.insertPort(ctx, row, explicitMac).then(() => row.mac_address);
    inserted.catch(() => undefined);
    const requests = item.fixed_ips as FixedIpRequest[] | undefined;
    const allocation = { networkId, portId: row.id, deviceOwner: row.device_owner, requests, portInserted: inserted };
    const allocating = this.ipam.allocate(ctx, allocation);
    allocating.catch(() => undefined);
    await inserted;
    const fixedIps = await allocating;
    return presentPort(row, fixedIps, net.project_id);
  }

  async update(ctx: RequestContext, current: ApiObject, changes: ApiObject): Promise<ApiObject> {
    const id = current.id as string;
    const row = await this.findRow(ctx, id);
    if (!row) throw portNotFound(id);
    const next: Partial<PortRow> = pick(changes, ['name', 'description', 'admin_state_up', 'device_id', 'device_owner']);
    if ('mac_address' in changes) await this.changeMac(ctx, row, changes, next);
    const updated = revised(row, next);
    const columns = { ...next, revision_number: updated.revision_number, updated_at: updated.updated_at };
    await ctx.em.getRepository(PortEntity).update({ id }, columns as QueryDeepPartialEntity<PortRow>);

    let fixedIps = current.fixed_ips as FixedIp[];
    const macChanged = next.mac_address !== undefined;
    if ('fixed_ips' in changes || (macChanged && fixedIps.length)) {
      const requests = 'fixed_ips' in changes ? (changes.fixed_ips as FixedIpRequest[]) : addressesKeptOnMacChange(fixedIps, row.mac_address);
      const change = { networkId: row.network_id, portId: id, deviceOwner: updated.device_owner, current: fixedIps, requests, macAddress: updated.mac_address };
      fixedIps = await this.ipam.reallocate(ctx, change);
    }
    const net = await this.networks.find(ctx, row.network_id);
    return presentPort(updated, fixedIps, net?.project_id);
  }

  async delete(ctx: RequestContext, current: ApiObject): Promise<void> {
    await this.remove(ctx, current.id as string);
  }

  async deleteForNetwork(ctx: RequestContext, networkId: string): Promise<void> {
    const ports = await ctx.em
      .getRepository(PortEntity)
      .createQueryBuilder('p')
      .select(['p.id', 'p.device_owner'])
      .where('p.network_id = :networkId', { networkId })
      .orderBy('p.created_at')
      .addOrderBy('p.id')
      .getMany();
    const inUse = ports.filter((p) => !AUTO_DELETE_PORT_OWNERS.includes(p.device_owner)).map((p) => p.id);
    if (inUse.length) throw networkInUse(networkId, inUse);
    for (const port of ports) await this.remove(ctx, port.id);
    // Not an API delete, so the engine's tags fragment does not run: their tags go here.
    await deleteAllTags(ctx.em, ...ports.map((p) => p.id));
  }

  /**
   * Inserts the port; a MAC already used on the network is the unique index's verdict (ON CONFLICT DO NOTHING keeps
   * the transaction usable on PostgreSQL): 409 for a requested MAC, a new random one for a generated MAC.
   */
  private async insertPort(ctx: RequestContext, row: PortRow, explicitMac: boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (await insertPortRow(ctx.em, row)) return;
      if (explicitMac) throw macInUse(row.network_id, row.mac_address);
      if (attempt >= MAC_ATTEMPTS) throw macAddressGenerationFailure(row.network_id);
      row.mac_address = this.nextMac();
    }
  }

  /** _check_mac_addr_update and _update_db_port (a bound port's MAC is refused by ML2's before_update first). */
  private async changeMac(ctx: RequestContext, row: PortRow, changes: ApiObject, next: Partial<PortRow>): Promise<void> {
    const mac = changes.mac_address === null ? this.nextMac() : (changes.mac_address as string);
    if (mac === row.mac_address) return;
    const owner = (changes.device_owner as string | undefined) || row.device_owner;
    if (isTrusted(owner)) throw unsupportedMacUpdate(owner);
    const taken = await ctx.em.getRepository(PortEntity).existsBy({ network_id: row.network_id, mac_address: mac });
    if (taken) throw macInUse(row.network_id, mac);
    next.mac_address = mac;
  }

  /** Addresses go first; the rows other domains keep for the port go by their cascading foreign keys. */
  private async remove(ctx: RequestContext, id: string): Promise<void> {
    await this.ipam.release(ctx, id);
    await ctx.em.getRepository(PortEntity).delete({ id });
  }

  private findRow(ctx: RequestContext, id: string): Promise<PortRow | null> {
    return selectPortRow(ctx.em, id, ctx.forUpdate && isPostgres(ctx.em) ? ' FOR UPDATE' : '');
  }
}

function pick(obj: ApiObject, keys: string[]): Partial<PortRow> {
  return Object.fromEntries(keys.filter((k) => k in obj).map((k) => [k, obj[k]])) as Partial<PortRow>;
}
