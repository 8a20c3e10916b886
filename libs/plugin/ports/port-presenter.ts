import { anyOf, loadInChunks, sqlFlag } from '../../db/index.js';
import type { ApiObject, RequestContext } from '../../api/resource/resource-definition.js';
import type { FixedIp, Ipam } from '../ipam/ipam.contract.js';
import { NetworkEntity } from '../networks/network.entity.js';
import type { PortRow } from './port.entity.js';
import { seesAllPorts } from './port-network.js';
import { PORT_COLUMNS } from './port-sql.js';

export function presentPort(row: PortRow, fixedIps: FixedIp[] | undefined, networkOwner: string | undefined): ApiObject {
  // Built as one literal (no spread), in the same shape as presentPortArray's.
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

const at = Object.fromEntries(PORT_COLUMNS.map((column, i) => [column, i])) as Record<(typeof PORT_COLUMNS)[number], number>;

/**
 * A list's row (PORT_COLUMNS' values, in order) as the port dict, without the row object and PortRow between them:
 * this runs for every port of a list. fixed_ips (and the network's owner) come with completePorts.
 */
export function presentPortArray(row: unknown[]): ApiObject {
  const projectId = row[at.project_id] as string;
  return {
    id: row[at.id],
    project_id: projectId,
    tenant_id: projectId,
    description: row[at.description],
    created_at: row[at.created_at],
    updated_at: row[at.updated_at],
    revision_number: Number(row[at.revision_number]),
    name: row[at.name],
    network_id: row[at.network_id],
    mac_address: row[at.mac_address],
    admin_state_up: sqlFlag(row[at.admin_state_up]),
    status: row[at.status],
    device_id: row[at.device_id],
    device_owner: row[at.device_owner],
    fixed_ips: undefined,
  };
}

/**
 * The ports' addresses (one `IN (…)` query, none when `fields` leaves fixed_ips out) and, for a caller who does not
 * see every port, their networks' owners: both reads go out together.
 */
export async function completePorts(ctx: RequestContext, ipam: Ipam, ports: ApiObject[], fields: string[]): Promise<void> {
  if (!ports.length) return;
  const wantIps = !fields.length || fields.includes('fixed_ips');
  const ips = wantIps ? loadInChunks(ports.map((p) => p.id as string), (s) => ipam.loadForPorts(ctx, s)) : undefined;
  const [fixedIps, owners] = await Promise.all([ips, networkOwners(ctx, ports)]);
  for (const port of ports) {
    if (fixedIps) port.fixed_ips = fixedIps.get(port.id as string) ?? [];
    const owner = owners.get(port.network_id as string);
    if (owner !== undefined) port['network:tenant_id'] = owner;
  }
}

/** Owners of the networks of the ports the caller does not own (only those need the network_owner rule). */
async function networkOwners(ctx: RequestContext, ports: ApiObject[]): Promise<Map<string, string>> {
  if (seesAllPorts(ctx)) return new Map();
  const networkIds = [...new Set(ports.filter((p) => p.project_id !== ctx.projectId).map((p) => p.network_id as string))];
  return loadInChunks(networkIds, async (ids) => {
    const nets = await ctx.em.getRepository(NetworkEntity).find({ select: { id: true, project_id: true }, where: { id: anyOf(ctx.em, ids) } });
    return new Map(nets.map((n) => [n.id, n.project_id]));
  });
}
