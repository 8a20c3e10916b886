import type { RequestContext } from '../../api/resource/resource-definition.js';

/** What deleting a network needs from ports (implemented by PortsService, provided by PortsModule). */
export interface NetworkPorts {
  /**
   * Neutron's `_ensure_network_not_in_use` plus the deletion of auto-delete ports (DHCP…): 409 NetworkInUse while
   * other ports exist on the network, else those ports are deleted (addresses released) in ctx's transaction.
   */
  deleteForNetwork(ctx: RequestContext, networkId: string): Promise<void>;
}
export const NETWORK_PORTS = Symbol('NETWORK_PORTS');
