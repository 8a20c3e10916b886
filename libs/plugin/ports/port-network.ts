import { NeutronError, notFound } from '../../api/errors/neutron-error.js';
import type { ApiObject, RequestContext } from '../../api/resource/resource-definition.js';
import { sqlFlag, sqlLock, sqlRows } from '../../db/index.js';
import { NetworkEntity } from '../networks/network.entity.js';

/** What ports need to know about their network. */
export interface PortNetwork {
  id: string;
  project_id: string;
  shared: boolean;
  router_external: boolean;
  port_security_enabled: boolean;
}

const NETWORKS_TABLE = NetworkEntity.options.tableName!;

function networkFromSql(row: Record<string, unknown>): PortNetwork {
  return {
    id: row.id as string,
    project_id: row.project_id as string,
    shared: sqlFlag(row.shared),
    router_external: sqlFlag(row.router_external),
    port_security_enabled: sqlFlag(row.port_security_enabled),
  };
}

export const networkNotFound = (id: string) => notFound('NetworkNotFound', `Network ${id} could not be found.`);

/** Admins and the advsvc role see every port and skip the network ownership check (Neutron's context.is_advsvc). */
export function seesAllPorts(ctx: RequestContext): boolean {
  return ctx.isAdmin || ctx.auth.roles.includes('advsvc');
}

const perRequest = new WeakMap<RequestContext, Map<string, PortNetwork | null>>();

/**
 * A port's network, read once per request (whoever asks: the policy target, the ownership check, the create and the
 * fragments all ask for the same network). Inside a write on PostgreSQL the row is share-locked, so a concurrent
 * network delete (which locks it for update) either sees the new port or makes the create answer NetworkNotFound.
 */
export async function findPortNetwork(ctx: RequestContext, id: string): Promise<PortNetwork | undefined> {
  let cache = perRequest.get(ctx);
  if (!cache) perRequest.set(ctx, (cache = new Map()));
  if (!cache.has(id)) {
    const lock = ctx.forUpdate ? sqlLock(ctx.em, 'SHARE') : '';
    const [row] = await sqlRows<Record<string, unknown>>(
      ctx.em,
      `SELECT id, project_id, shared, router_external, port_security_enabled FROM ${NETWORKS_TABLE} WHERE id = ?${lock}`,
      [id],
    );
    cache.set(id, row ? networkFromSql(row) : null);
  }
  return cache.get(id) ?? undefined;
}

/** Networks as port requests see them: the read, the policy keys and Neutron's ownership check on create. */
export class PortNetworks {
  async find(ctx: RequestContext, id: string): Promise<PortNetwork | undefined> {
    return findPortNetwork(ctx, id);
  }

  /** network:tenant_id and network:shared for the network_owner and shared policy rules. */
  policyKeys(net: PortNetwork | undefined): ApiObject {
    return net ? { 'network:tenant_id': net.project_id, 'network:shared': net.shared } : {};
  }

  /**
   * Neutron's ownership hook for POST (pecan_wsgi/hooks/ownership_validation.py): another project's network is
   * NetworkNotFound when invisible, and 403 when visible but not shared (an external network).
   */
  checkCreate(ctx: RequestContext, networkId: string, net: PortNetwork | undefined, projectId: string): void {
    if (seesAllPorts(ctx)) return;
    const visible = net && (net.project_id === ctx.projectId || net.shared || net.router_external);
    if (!visible) throw networkNotFound(networkId);
    if (net.shared || net.project_id === projectId) return;
    throw new NeutronError('HTTPForbidden', `Tenant ${projectId} not allowed to create port on this network`, 403);
  }
}
