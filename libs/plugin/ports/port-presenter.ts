import { anyOf } from '../../db/index.js';
import type { ApiObject, RequestContext } from '../../api/resource/resource-definition.js';
import { loadTags } from '../../api/tags/tag.store.js';
import type { PortSecurityGroups } from '../../security-groups/security-groups.contract.js';
import type { FixedIp, Ipam } from '../ipam/ipam.contract.js';
import { NetworkEntity } from '../networks/network.entity.js';
import type { PortRow } from './port.entity.js';
import { loadAddressPairs, loadDhcpOpts, loadInChunks } from './port-extras.store.js';
import { seesAllPorts } from './port-network.js';
import type { AddressPair, DhcpOpt } from './port-rules.js';

/** The related rows of one port, each list as the API shows it. */
export interface PortExtras {
  fixedIps?: FixedIp[];
  groups?: string[];
  pairs?: AddressPair[];
  opts?: DhcpOpt[];
  tags?: string[];
  /** The network's owner, for the get_port policy (network owners see the ports on their networks). */
  networkOwner?: string;
}

export function presentPort(row: PortRow, x: PortExtras): ApiObject {
  // Built as one literal (no spread): this runs for every port of a list.
  const port: ApiObject = {
    id: row.id,
    project_id: row.project_id,
    tenant_id: row.project_id,
    description: row.description,
    created_at: row.created_at,
    updated_at: row.updated_at,
    revision_number: row.revision_number,
    tags: x.tags,
    name: row.name,
    network_id: row.network_id,
    mac_address: row.mac_address,
    admin_state_up: row.admin_state_up,
    status: row.status,
    device_id: row.device_id,
    device_owner: row.device_owner,
    fixed_ips: x.fixedIps,
    allowed_address_pairs: x.pairs,
    extra_dhcp_opts: x.opts,
    security_groups: x.groups,
    port_security_enabled: row.port_security_enabled,
    'binding:host_id': row.binding_host_id,
    'binding:vnic_type': row.binding_vnic_type,
    'binding:profile': row.binding_profile,
    'binding:vif_type': row.binding_vif_type,
    'binding:vif_details': row.binding_vif_details,
  };
  if (x.networkOwner !== undefined) port['network:tenant_id'] = x.networkOwner;
  return port;
}

/**
 * A page of ports with their related rows: one `IN (…)` query per kind, whatever the page size, and none for
 * attributes that `fields` leaves out.
 */
export async function presentPorts(
  ctx: RequestContext,
  deps: { ipam: Ipam; groups: PortSecurityGroups },
  rows: PortRow[],
  fields: string[],
): Promise<ApiObject[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const want = (attr: string) => !fields.length || fields.includes(attr);
  const none = new Map<string, never>();
  const fixedIps = want('fixed_ips') ? await loadInChunks(ids, (s) => deps.ipam.loadForPorts(ctx, s)) : none;
  const groups = want('security_groups') ? await loadInChunks(ids, (s) => deps.groups.loadForPorts(ctx, s)) : none;
  const pairs = want('allowed_address_pairs') ? await loadAddressPairs(ctx.em, ids) : none;
  const opts = want('extra_dhcp_opts') ? await loadDhcpOpts(ctx.em, ids) : none;
  const tags = want('tags') ? await loadInChunks(ids, (s) => loadTags(ctx.em, s)) : none;
  const owners = await networkOwners(ctx, rows);
  return rows.map((row) =>
    presentPort(row, {
      fixedIps: want('fixed_ips') ? (fixedIps.get(row.id) ?? []) : undefined,
      groups: want('security_groups') ? (groups.get(row.id) ?? []) : undefined,
      pairs: want('allowed_address_pairs') ? (pairs.get(row.id) ?? []) : undefined,
      opts: want('extra_dhcp_opts') ? (opts.get(row.id) ?? []) : undefined,
      tags: want('tags') ? (tags.get(row.id) ?? []) : undefined,
      networkOwner: owners.get(row.network_id),
    }),
  );
}

/** Owners of the networks of the ports the caller does not own (only those need the network_owner rule). */
async function networkOwners(ctx: RequestContext, rows: PortRow[]): Promise<Map<string, string>> {
  if (seesAllPorts(ctx)) return new Map();
  const networkIds = [...new Set(rows.filter((r) => r.project_id !== ctx.projectId).map((r) => r.network_id))];
  return loadInChunks(networkIds, async (ids) => {
    const nets = await ctx.em.getRepository(NetworkEntity).find({ select: { id: true, project_id: true }, where: { id: anyOf(ctx.em, ids) } });
    return new Map(nets.map((n) => [n.id, n.project_id]));
  });
}
