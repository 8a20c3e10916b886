import { Inject, Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { conflict, invalidInput, NeutronError } from '../../api/errors/neutron-error.js';
import type { ApiObject, ListQuery, RequestContext, ResourceService } from '../../api/resource/resource-definition.js';
import { newStandardColumns, revised } from '../../api/resource/standard-row.js';
import { runRawListQuery } from '../../api/sql/list-query.js';
import { isPostgres } from '../../db/index.js';
import { deleteAllTags, replaceTags } from '../../api/tags/tag.store.js';
import { pyJsonDumps, pyStr } from '../../api/validators/index.js';
import { PORT_SECURITY_GROUPS, type PortSecurityGroups } from '../../security-groups/security-groups.contract.js';
import { type FixedIp, type FixedIpRequest, IPAM, type Ipam } from '../ipam/ipam.contract.js';
import { macGenerator } from './mac-address.js';
import type { NetworkPorts } from './network-ports.js';
import { portAttributes, portNotFound } from './port.definition.js';
import { PortEntity, type PortRow } from './port.entity.js';
import { replaceAddressPairs, replaceDhcpOpts } from './port-extras.store.js';
import { portCustomFilters } from './port-filters.js';
import { networkNotFound, PortNetworks, seesAllPorts } from './port-network.js';
import { presentPort, presentPorts } from './port-presenter.js';
import { insertPortRow, PORT_COLUMNS, portFromSql, selectPortRow } from './port-sql.js';
import {
  type AddressPair,
  addressesKeptOnMacChange,
  addressPairsFor,
  checkPortSecurityUpdate,
  type DhcpOpt,
  dhcpOptsForCreate,
  groupsForNewPort,
  isTrusted,
  mergeDhcpOpts,
  sameGroups,
} from './port-rules.js';
import { AUTO_DELETE_PORT_OWNERS } from './ports.contract.js';
import { PORT_LIFECYCLE, type PortLifecycle } from './port-lifecycle.contract.js';

const MAC_ATTEMPTS = 16;
const BINDING_PROFILE_LEN = 4095;
const UNPLUGGED_VIF_TYPES = ['unbound', 'binding_failed'];

const macInUse = (networkId: string, mac: string) =>
  conflict('MacAddressInUse', `Unable to complete operation for network ${networkId}. The mac address ${mac} is in use.`);

@Injectable()
export class PortsService implements ResourceService, NetworkPorts {
  private readonly nextMac: () => string;
  private readonly networks = new PortNetworks();
  private readonly filters = portCustomFilters('r');
  private readonly related: { ipam: Ipam; groups: PortSecurityGroups };

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(IPAM) private readonly ipam: Ipam,
    @Inject(PORT_SECURITY_GROUPS) private readonly groups: PortSecurityGroups,
    @Inject(PORT_LIFECYCLE) private readonly lifecycle: PortLifecycle,
  ) {
    this.nextMac = macGenerator(config.network.base_mac);
    this.related = { ipam, groups };
  }

  async list(ctx: RequestContext, query: ListQuery): Promise<ApiObject[]> {
    const qb = ctx.em.getRepository(PortEntity).createQueryBuilder('r');
    if (!seesAllPorts(ctx)) {
      // Neutron's port scoping: own ports and every port on an own network.
      qb.where('(r.project_id = :owner OR r.network_id IN (SELECT n.id FROM networks n WHERE n.project_id = :owner))', {
        owner: ctx.projectId,
      });
    }
    const raw = await runRawListQuery<PortRow, Record<string, unknown>>(ctx.em, qb, query, {
      alias: 'r',
      attributes: portAttributes,
      customFilters: this.filters,
      taggable: true,
      notFound: portNotFound,
      columns: PORT_COLUMNS,
    });
    return presentPorts(ctx, this.related, raw.map(portFromSql), query.fields);
  }

  async get(ctx: RequestContext, id: string): Promise<ApiObject | undefined> {
    const row = await this.findRow(ctx, id);
    if (!row) return undefined;
    if (!seesAllPorts(ctx) && row.project_id !== ctx.projectId) {
      const net = await this.networks.find(ctx, row.network_id);
      if (net?.project_id !== ctx.projectId) return undefined;
    }
    return (await presentPorts(ctx, this.related, [row], []))[0];
  }

  /** The engine's policy target: network keys always, and on create Neutron's network ownership check first. */
  async policyTarget(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const networkId = item.network_id as string;
    const net = await this.networks.find(ctx, networkId);
    if (!('id' in item)) this.networks.checkCreate(ctx, networkId, net, item.project_id as string);
    return this.networks.policyKeys(net);
  }

  async create(ctx: RequestContext, item: ApiObject): Promise<ApiObject> {
    const networkId = item.network_id as string;
    const net = await this.networks.find(ctx, networkId);
    if (!net) throw networkNotFound(networkId);
    const projectId = item.project_id as string;
    const deviceOwner = item.device_owner as string;
    const trusted = isTrusted(deviceOwner);
    const defaultGroup = await this.ensureDefaultGroup(ctx, projectId);
    const explicitMac = typeof item.mac_address === 'string';
    const row: PortRow = {
      ...newStandardColumns(item),
      name: item.name as string,
      network_id: networkId,
      mac_address: explicitMac ? (item.mac_address as string) : this.nextMac(),
      admin_state_up: item.admin_state_up as boolean,
      status: 'DOWN',
      device_id: item.device_id as string,
      device_owner: deviceOwner,
      port_security_enabled: trusted ? false : ((item.port_security_enabled as boolean | undefined) ?? net.port_security_enabled),
      binding_host_id: hostOf(item['binding:host_id']) ?? '',
      binding_vnic_type: item['binding:vnic_type'] as string,
      binding_profile: profileOf(item['binding:profile']) ?? {},
      binding_vif_type: 'unbound',
      binding_vif_details: {},
    };
    const binding = await this.lifecycle.beforeCreate(ctx, row);
    await this.insertPort(ctx, row, explicitMac);
    const requests = item.fixed_ips as FixedIpRequest[] | undefined;
    // macAddress is beyond the contract's type: the IPAM service reads it for EUI-64 (SLAAC) addresses.
    const allocation = { networkId, portId: row.id, deviceOwner, requests, macAddress: row.mac_address };
    const fixedIps = await this.ipam.allocate(ctx, allocation);
    const requestedPairs = item.allowed_address_pairs as Record<string, unknown>[] | undefined;
    const groups = groupsForNewPort({
      portSecurity: row.port_security_enabled,
      trusted,
      requested: item.security_groups as string[] | undefined,
      addressPairs: requestedPairs,
      defaultGroup,
    });
    if (groups.length) await this.groups.bindPort(ctx, row.id, projectId, groups, { newPort: true });
    const pairs = addressPairsFor(requestedPairs ?? [], row.mac_address);
    await replaceAddressPairs(ctx.em, row.id, pairs, false);
    const opts = dhcpOptsForCreate(item.extra_dhcp_opts as Record<string, unknown>[] | null);
    await replaceDhcpOpts(ctx.em, row.id, opts, false);
    const tags = [...(item.tags as string[])].sort();
    if (tags.length) await replaceTags(ctx.em, row.id, tags);
    const port = presentPort(row, { fixedIps, groups, pairs, opts, tags, networkOwner: net.project_id });
    await this.lifecycle.afterCreate(ctx, row, port, binding);
    return port;
  }

  async update(ctx: RequestContext, current: ApiObject, changes: ApiObject): Promise<ApiObject> {
    const id = current.id as string;
    const row = await this.findRow(ctx, id);
    if (!row) throw portNotFound(id);
    await this.ensureDefaultGroup(ctx, row.project_id);
    const next: Partial<PortRow> = pick(changes, ['name', 'description', 'admin_state_up', 'device_id', 'device_owner']);
    if ('mac_address' in changes) await this.changeMac(ctx, row, changes, next);
    if ('port_security_enabled' in changes) next.port_security_enabled = changes.port_security_enabled as boolean;
    Object.assign(next, this.bindingChanges(row, changes));
    const binding = await this.lifecycle.beforeUpdate(ctx, row, next);
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
    const oldPairs = current.allowed_address_pairs as AddressPair[];
    const oldGroups = current.security_groups as string[];
    checkPortSecurityUpdate({ portSecurity: updated.port_security_enabled, changes, hasPairs: oldPairs.length > 0, hasGroups: oldGroups.length > 0 });
    let pairs = oldPairs;
    if ('allowed_address_pairs' in changes && JSON.stringify(changes.allowed_address_pairs) !== JSON.stringify(oldPairs)) {
      pairs = addressPairsFor(changes.allowed_address_pairs as Record<string, unknown>[], updated.mac_address);
      await replaceAddressPairs(ctx.em, id, pairs, oldPairs.length > 0);
    }
    let groups = oldGroups;
    if ('security_groups' in changes && !sameGroups(oldGroups, changes.security_groups as string[])) {
      // _get_security_groups_on_port looks at the request's device_owner only.
      const trustedOwner = typeof changes.device_owner === 'string' && isTrusted(changes.device_owner);
      groups = trustedOwner ? [] : (changes.security_groups as string[]);
      if (groups.length) await this.groups.bindPort(ctx, id, row.project_id, groups);
      else await this.groups.unbindPort(ctx, id);
    }
    let opts = current.extra_dhcp_opts as DhcpOpt[];
    const optChanges = changes.extra_dhcp_opts as Record<string, unknown>[] | null | undefined;
    if (optChanges?.length) {
      const merged = mergeDhcpOpts(opts, optChanges);
      await replaceDhcpOpts(ctx.em, id, merged, opts.length > 0);
      opts = merged;
    }
    const net = await this.networks.find(ctx, row.network_id);
    const port = presentPort(updated, { fixedIps, groups, pairs, opts, tags: current.tags as string[], networkOwner: net?.project_id });
    await this.lifecycle.afterUpdate(ctx, row, updated, port, current, binding);
    return port;
  }

  async delete(ctx: RequestContext, current: ApiObject): Promise<void> {
    const row = await this.findRow(ctx, current.id as string);
    if (row) await this.lifecycle.beforeDelete(ctx, row, current);
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
    if (inUse.length) {
      throw conflict(
        'NetworkInUse',
        `Unable to complete operation on network ${networkId}. ` +
          `There are one or more ports still in use on the network, id for these ports is: ${inUse.join(',')}.`,
      );
    }
    for (const port of ports) await this.remove(ctx, port.id);
  }

  /** Neutron's _ensure_default_security_group: never for another project unless admin (bug 1987410). */
  private async ensureDefaultGroup(ctx: RequestContext, projectId: string): Promise<string | undefined> {
    if (!projectId || (projectId !== ctx.projectId && !ctx.isAdmin)) return undefined;
    return this.groups.ensureDefault(ctx, projectId);
  }

  /**
   * Inserts the port; a MAC already used on the network is the unique index's verdict (ON CONFLICT DO NOTHING keeps
   * the transaction usable on PostgreSQL): 409 for a requested MAC, a new random one for a generated MAC.
   */
  private async insertPort(ctx: RequestContext, row: PortRow, explicitMac: boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (await insertPortRow(ctx.em, row)) return;
      if (explicitMac) throw macInUse(row.network_id, row.mac_address);
      if (attempt >= MAC_ATTEMPTS) {
        throw new NeutronError('MacAddressGenerationFailure', `Unable to generate unique mac on network ${row.network_id}.`, 503);
      }
      row.mac_address = this.nextMac();
    }
  }

  /** _check_mac_update_allowed, _check_mac_addr_update and _update_db_port, in that order. */
  private async changeMac(ctx: RequestContext, row: PortRow, changes: ApiObject, next: Partial<PortRow>): Promise<void> {
    const mac = changes.mac_address === null ? this.nextMac() : (changes.mac_address as string);
    if (mac === row.mac_address) return;
    if (!UNPLUGGED_VIF_TYPES.includes(row.binding_vif_type)) {
      throw conflict(
        'PortBound',
        `Unable to complete operation on port ${row.id}, port is already bound, port type: ${row.binding_vif_type}, ` +
          `old_mac ${row.mac_address}, new_mac ${mac}.`,
      );
    }
    const owner = (changes.device_owner as string | undefined) || row.device_owner;
    if (isTrusted(owner)) {
      // Neutron formats the builtin `id` here instead of the port id; the wire text keeps that.
      throw conflict('UnsupportedPortDeviceOwner', `Operation mac address update is not supported for device_owner ${owner} on port <built-in function id>.`);
    }
    const taken = await ctx.em.getRepository(PortEntity).existsBy({ network_id: row.network_id, mac_address: mac });
    if (taken) throw macInUse(row.network_id, mac);
    next.mac_address = mac;
  }

  /** _process_port_binding_attributes: host, vnic_type and profile (null clears it) as stored on the port. */
  private bindingChanges(row: PortRow, changes: ApiObject): Partial<PortRow> {
    const out: Partial<PortRow> = {};
    const host = hostOf(changes['binding:host_id']);
    if (host !== undefined && host !== row.binding_host_id) out.binding_host_id = host;
    const vnic = changes['binding:vnic_type'] as string | undefined;
    if (vnic !== undefined && vnic !== row.binding_vnic_type) out.binding_vnic_type = vnic;
    const profile = profileOf(changes['binding:profile']);
    if (profile !== undefined && pyJsonDumps(profile) !== pyJsonDumps(row.binding_profile)) out.binding_profile = profile;
    return out;
  }

  private async remove(ctx: RequestContext, id: string): Promise<void> {
    await this.ipam.release(ctx, id);
    await this.groups.unbindPort(ctx, id);
    await deleteAllTags(ctx.em, id);
    await ctx.em.getRepository(PortEntity).delete({ id });
  }

  private findRow(ctx: RequestContext, id: string): Promise<PortRow | null> {
    return selectPortRow(ctx.em, id, ctx.forUpdate && isPostgres(ctx.em) ? ' FOR UPDATE' : '');
  }
}

/** `binding:host_id`: absent → undefined (keep), falsy → '' (Neutron's `or ''`). */
function hostOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return value ? pyStr(value) : '';
}

/** `binding:profile`: absent → undefined (keep), null → {}; stored as JSON of at most 4,095 characters. */
function profileOf(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  const profile = (value ?? {}) as Record<string, unknown>;
  if (pyJsonDumps(profile).length > BINDING_PROFILE_LEN) throw invalidInput('binding:profile value too large');
  return profile;
}

function pick(obj: ApiObject, keys: string[]): Partial<PortRow> {
  return Object.fromEntries(keys.filter((k) => k in obj).map((k) => [k, obj[k]])) as Partial<PortRow>;
}
