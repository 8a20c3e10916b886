import { anyOf, loadInChunks } from '../../db/index.js';
import type { ApiObject, RequestContext } from '../../api/resource/resource-definition.js';
import type { FixedIp, Ipam } from '../ipam/ipam.contract.js';
import { NetworkEntity } from '../networks/network.entity.js';
import type { PortRow } from './port.entity.js';
import { seesAllPorts } from './port-network.js';

export function presentPort(row: PortRow, fixedIps: FixedIp[] | undefined, networkOwner: string | undefined): ApiObject {
  // Built as one literal (no spread): this runs for every port of a list.
  const port: ApiObject = {
    id: row.id,
    project_id: row.project_id,
    tenant_id: row.project_id,
    description: row.description,
    created_at: row.created_at,
    updated_at: row.updated_at,
    revision_number: row.revision_number,
    name: row.name,
    network_id: row.network_id,
    mac_address: row.mac_address,
    admin_state_up: row.admin_state_up,
    status: row.status,
    device_id: row.device_id,
    device_owner: row.device_owner,
    fixed_ips: fixedIps,
  };
  // The network's owner, for the get_port policy (network owners see the ports on their networks).
  if (networkOwner !== undefined) port['network:tenant_id'] = networkOwner;
  return port;
}

/** A page of ports with their addresses: one `IN (…)` query, none when `fields` leaves fixed_ips out. */
export async function presentPorts(ctx: RequestContext, ipam: Ipam, rows: PortRow[], fields: string[]): Promise<ApiObject[]> {
  if (!rows.length) return [];
  const wantIps = !fields.length || fields.includes('fixed_ips');
  const fixedIps = wantIps ? await loadInChunks(rows.map((r) => r.id), (s) => ipam.loadForPorts(ctx, s)) : undefined;
  const owners = await networkOwners(ctx, rows);
  return rows.map((row) => presentPort(row, fixedIps ? (fixedIps.get(row.id) ?? []) : undefined, owners.get(row.network_id)));
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
