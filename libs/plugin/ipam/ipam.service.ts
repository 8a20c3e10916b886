import { sqlBool } from '../../db/index.js';
import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { RequestContext } from '../../api/resource/resource-definition.js';
import { sqlAnyOf, sqlArrays, sqlJson, sqlRows, sqlRun, sqlWriteBehind } from '../../db/index.js';
import { isUniqueViolation } from '../../db/index.js';
import { PORTS_TABLE } from '../ports/ports.contract.js';
import { NetworkEntity } from '../networks/network.entity.js';
import { SUBNETS_TABLE } from '../subnetpools/subnetpools.contract.js';
import { SubnetEntity } from '../subnets/subnet.entity.js';
import { type AddressWish, planCreate, planUpdate, type PortAddressing } from './fixed-ip-plan.js';
import { FreeRanges } from './free-ranges.store.js';
import { type FixedIp, type FixedIpRequest, IP_ALLOCATIONS_TABLE, type Ipam } from './ipam.contract.js';
import { IpAllocationEntity, type IpAllocationRow } from './ipam.entities.js';
import { ipAddressAlreadyAllocated, ipAddressGenerationFailure, ROUTER_INTERFACE_OWNERS_SNAT } from './ipam.errors.js';
import { eui64Address, formatAddress, parseAddress, subtract } from './ip-math.js';
import { inPools, isAutoAddress, type SubnetAddressing, type SubnetInfo, subnetInfo } from './subnet-info.js';

/**
 * IP address management backed by two tables: `ipallocations` (one row per address, primary key (subnet_id,
 * ip_address) so the database refuses a second holder) and `ipam_free_ranges` (the unallocated runs of each pool),
 * so handing out the next address reads and writes a couple of rows whatever the number of allocated addresses.
 */
@Injectable()
export class IpamService implements Ipam {
  /** Per request: a subnets read sent ahead of the allocation (readSubnetsEarly), taken once. */
  private readonly earlySubnetReads = new WeakMap<RequestContext, { networkId: string; read: Promise<SubnetAddressing[]> }>();

  async allocate(
    ctx: RequestContext,
    args: { networkId: string; portId: string; deviceOwner: string; requests?: FixedIpRequest[]; macAddress?: string; portInserted?: Promise<string> },
  ): Promise<FixedIp[]> {
    const addressing = await this.addressing(ctx, args, args.requests ?? []);
    let portInserted = args.portInserted;
    // An EUI-64 address needs the MAC the insert ends with (a generated one is drawn again on a collision).
    if (portInserted && addressing.subnets.some((s) => s.version === 6 && isAutoAddress(s))) {
      addressing.macAddress = await portInserted;
      portInserted = undefined;
    }
    const wishes = planCreate(addressing, args.requests);
    return sortFixedIps(await this.fulfil(ctx, args.networkId, args.portId, wishes, portInserted));
  }

  async reallocate(
    ctx: RequestContext,
    args: { networkId: string; portId: string; deviceOwner: string; current: FixedIp[]; requests: FixedIpRequest[]; macAddress?: string },
  ): Promise<FixedIp[]> {
    const addressing = await this.addressing(ctx, args, args.requests);
    const plan = planUpdate(addressing, args.current, args.requests);
    const byId = new Map(addressing.subnets.map((s) => [s.id, s]));
    for (const ip of sortFixedIps(plan.remove)) await this.deallocate(ctx, byId.get(ip.subnet_id), ip);
    const added = await this.fulfil(ctx, args.networkId, args.portId, plan.add);
    return sortFixedIps([...plan.keep, ...added]);
  }

  async release(ctx: RequestContext, portId: string): Promise<void> {
    const rows = await sqlRows<IpAllocationRow>(ctx.em, `SELECT subnet_id, ip_address, port_id, network_id FROM ${IP_ALLOCATIONS_TABLE} WHERE port_id = ?`, [portId]);
    if (!rows.length) return;
    await sqlRun(ctx.em, `DELETE FROM ${IP_ALLOCATIONS_TABLE} WHERE port_id = ?`, [portId]);
    await this.giveBack(ctx, rows);
  }

  async loadForPorts(ctx: RequestContext, portIds: string[]): Promise<Map<string, FixedIp[]>> {
    const result = new Map<string, FixedIp[]>();
    for (const id of portIds) result.set(id, []);
    for (let i = 0; i < portIds.length; i += 1000) {
      const [cond, param] = sqlAnyOf(ctx.em, 'port_id', portIds.slice(i, i + 1000));
      // Arrays, not an object per row: a list reads a thousand of them.
      const rows = await sqlArrays(ctx.em, `SELECT port_id, subnet_id, ip_address FROM ${IP_ALLOCATIONS_TABLE} WHERE ${cond}`, [param]);
      for (const row of rows) result.get(row[0] as string)?.push({ subnet_id: row[1] as string, ip_address: row[2] as string });
    }
    // Sorted per port (most have one address) rather than by the database over the whole page.
    for (const ips of result.values()) if (ips.length > 1) sortInPlace(ips);
    return result;
  }

  /** A new subnet: its pools are all free. */
  async initSubnet(ctx: RequestContext, subnet: SubnetInfo): Promise<void> {
    await new FreeRanges(ctx.em, subnet.id, subnet.version).reset(subnet.pools);
  }

  /** Changed pools: free = new pools minus what is allocated (addresses outside the new pools stay allocated). */
  async resetPools(ctx: RequestContext, subnet: SubnetInfo): Promise<void> {
    const ranges = new FreeRanges(ctx.em, subnet.id, subnet.version);
    await ranges.reset([]);
    const rows = await ctx.em.getRepository(IpAllocationEntity).find({ select: { ip_address: true }, where: { subnet_id: subnet.id } });
    await ranges.reset(subtract(subnet.pools, rows.map((r) => parseAddress(r.ip_address)!.value)));
  }

  /** A new auto-address subnet gives every port of its network (router ports aside) the EUI-64 address of its MAC. */
  async addAutoAddresses(ctx: RequestContext, subnet: SubnetInfo): Promise<string[]> {
    if (subnet.version !== 6 || !isAutoAddress(subnet)) return [];
    const ports: { id: string; mac_address: string }[] = await ctx.em
      .createQueryBuilder()
      .select(['p.id AS id', 'p.mac_address AS mac_address'])
      .from(PORTS_TABLE, 'p')
      .where('p.network_id = :net', { net: subnet.networkId })
      .andWhere('p.device_owner NOT IN (:...owners)', { owners: ROUTER_INTERFACE_OWNERS_SNAT })
      .orderBy('p.id')
      .getRawMany();
    for (const port of ports) await this.allocateGiven(ctx, subnet, eui64Address(subnet.net, port.mac_address), port.id);
    return ports.map((p) => p.id);
  }

  /** Sends the read of the network's subnets now, without waiting: the next allocate on that network takes it. */
  readSubnetsEarly(ctx: RequestContext, networkId: string): void {
    if (this.earlySubnetReads.has(ctx)) return; // one is on its way (a bulk create's next item reads its own)
    const read = this.readSubnets(ctx, networkId);
    read.catch(() => undefined); // allocate awaits it; a request failing before then drops it
    this.earlySubnetReads.set(ctx, { networkId, read });
  }

  private takeSubnetsRead(ctx: RequestContext, networkId: string): Promise<SubnetAddressing[]> {
    const early = this.earlySubnetReads.get(ctx);
    if (early?.networkId !== networkId) return this.readSubnets(ctx, networkId);
    this.earlySubnetReads.delete(ctx);
    return early.read;
  }

  private async readSubnets(ctx: RequestContext, networkId: string): Promise<SubnetAddressing[]> {
    const rows = await sqlRows<Record<string, unknown>>(
      ctx.em,
      `SELECT id, network_id, project_id, cidr, ipv6_ra_mode, ipv6_address_mode, allocation_pools FROM ${SUBNETS_TABLE} ` +
        'WHERE network_id = ? ORDER BY created_at, id',
      [networkId],
    );
    return rows.map((r): SubnetAddressing => ({ ...(r as unknown as SubnetAddressing), allocation_pools: sqlJson(r.allocation_pools, []) }));
  }

  private async addressing(
    ctx: RequestContext,
    args: { networkId: string; deviceOwner: string; macAddress?: string },
    requests: FixedIpRequest[],
  ): Promise<PortAddressing> {
    const subnets = (await this.takeSubnetsRead(ctx, args.networkId)).map(subnetInfo);
    const named = [...new Set(requests.flatMap((r) => (r.subnet_id ? [r.subnet_id] : [])))].filter((id) => !subnets.some((s) => s.id === id));
    return {
      networkId: args.networkId,
      deviceOwner: args.deviceOwner,
      macAddress: args.macAddress,
      subnets,
      foreignSubnetIds: new Set(named.length ? await this.visibleSubnetIds(ctx, named) : []),
    };
  }

  /** Of these subnet ids, those the caller could read (SubnetNotFound for the others, as Neutron's scoped lookup). */
  private async visibleSubnetIds(ctx: RequestContext, ids: string[]): Promise<string[]> {
    const qb = ctx.em
      .getRepository(SubnetEntity)
      .createQueryBuilder('s')
      .select('s.id', 'id')
      .innerJoin(NetworkEntity.options.name, 'n', 'n.id = s.network_id')
      .where('s.id IN (:...ids)', { ids });
    if (!ctx.isAdmin) qb.andWhere('(s.project_id = :p OR n.shared = :yes)', { p: ctx.projectId, yes: sqlBool(ctx.em, true) });
    return (await qb.getRawMany<{ id: string }>()).map((r) => r.id);
  }

  /** `portInserted`: the allocations' rows wait for the port's (their foreign key); the free ranges need not. */
  private async fulfil(ctx: RequestContext, networkId: string, portId: string, wishes: AddressWish[], portInserted?: Promise<unknown>): Promise<FixedIp[]> {
    const out: FixedIp[] = [];
    for (const wish of wishes) {
      if ('ip' in wish) {
        out.push(await this.allocateGiven(ctx, wish.subnet, wish.ip, portId, portInserted));
        continue;
      }
      let got: FixedIp | undefined;
      for (const subnet of wish.candidates) {
        const ip = await new FreeRanges(ctx.em, subnet.id, subnet.version).takeLowest();
        if (ip === undefined) continue;
        await portInserted;
        got = await this.insertTaken(ctx, subnet, ip, portId);
        break;
      }
      if (!got) throw ipAddressGenerationFailure(networkId);
      out.push(got);
    }
    return out;
  }

  private async allocateGiven(ctx: RequestContext, subnet: SubnetInfo, ip: bigint, portId: string, portInserted?: Promise<unknown>): Promise<FixedIp> {
    const text = formatAddress(ip, subnet.version);
    const taken = await sqlRows(ctx.em, `SELECT 1 FROM ${IP_ALLOCATIONS_TABLE} WHERE subnet_id = ? AND ip_address = ?`, [subnet.id, text]);
    if (taken.length) throw ipAddressAlreadyAllocated(text, subnet.id);
    // Not in a free range = outside the pools (allowed, e.g. a router's gateway address) or just taken by a
    // concurrent request, which the primary key then reports.
    await new FreeRanges(ctx.em, subnet.id, subnet.version).take(ip);
    await portInserted;
    return this.insert(ctx, subnet, ip, portId);
  }

  private async insert(ctx: RequestContext, subnet: SubnetInfo, ip: bigint, portId: string): Promise<FixedIp> {
    const ipAddress = formatAddress(ip, subnet.version);
    try {
      await sqlRun(ctx.em, `INSERT INTO ${IP_ALLOCATIONS_TABLE} (subnet_id, ip_address, port_id, network_id) VALUES (?, ?, ?, ?)`, [
        subnet.id,
        ipAddress,
        portId,
        subnet.networkId,
      ]);
    } catch (e) {
      if (isUniqueViolation(e)) throw ipAddressAlreadyAllocated(ipAddress, subnet.id);
      throw e;
    }
    return { subnet_id: subnet.id, ip_address: ipAddress };
  }

  /** An address just taken out of a free range this transaction holds: no other port can have it. */
  private async insertTaken(ctx: RequestContext, subnet: SubnetInfo, ip: bigint, portId: string): Promise<FixedIp> {
    const ipAddress = formatAddress(ip, subnet.version);
    await sqlWriteBehind(ctx.em, `INSERT INTO ${IP_ALLOCATIONS_TABLE} (subnet_id, ip_address, port_id, network_id) VALUES (?, ?, ?, ?)`, [
      subnet.id,
      ipAddress,
      portId,
      subnet.networkId,
    ]);
    return { subnet_id: subnet.id, ip_address: ipAddress };
  }

  private async deallocate(ctx: RequestContext, subnet: SubnetInfo | undefined, ip: FixedIp): Promise<void> {
    await sqlRun(ctx.em, `DELETE FROM ${IP_ALLOCATIONS_TABLE} WHERE subnet_id = ? AND ip_address = ?`, [ip.subnet_id, ip.ip_address]);
    const value = parseAddress(ip.ip_address)?.value;
    if (subnet && value !== undefined && inPools(subnet, value)) await new FreeRanges(ctx.em, subnet.id, subnet.version).give(value);
  }

  private async giveBack(ctx: RequestContext, rows: IpAllocationRow[]): Promise<void> {
    const subnets = await ctx.em.getRepository(SubnetEntity).findBy({ id: In([...new Set(rows.map((r) => r.subnet_id))]) });
    const byId = new Map(subnets.map((s) => [s.id, subnetInfo(s)]));
    for (const row of sortFixedIps(rows)) {
      const subnet = byId.get(row.subnet_id);
      const value = parseAddress(row.ip_address)?.value;
      if (subnet && value !== undefined && inPools(subnet, value)) await new FreeRanges(ctx.em, subnet.id, subnet.version).give(value);
    }
  }
}

/** Neutron orders a port's fixed_ips by (ip_address, subnet_id) as text. */
function sortFixedIps<T extends FixedIp>(ips: T[]): T[] {
  return [...ips].sort(byAddressThenSubnet);
}

/** A port's few addresses sorted by insertion: Array.prototype.sort allocates a work array per call. */
function sortInPlace(ips: FixedIp[]): void {
  for (let i = 1; i < ips.length; i++) {
    const ip = ips[i];
    let j = i - 1;
    for (; j >= 0 && byAddressThenSubnet(ips[j], ip) > 0; j--) ips[j + 1] = ips[j];
    ips[j + 1] = ip;
  }
}

/** Compared field by field: no key string per comparison (a dual-stack list sorts a thousand pairs). */
function byAddressThenSubnet(a: FixedIp, b: FixedIp): number {
  if (a.ip_address !== b.ip_address) return a.ip_address < b.ip_address ? -1 : 1;
  return a.subnet_id < b.subnet_id ? -1 : a.subnet_id > b.subnet_id ? 1 : 0;
}
