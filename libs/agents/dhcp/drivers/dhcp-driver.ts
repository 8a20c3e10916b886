/**
 * The edge of the DHCP agent (Neutron's DhcpBase in agent/linux/dhcp.py): what serves DHCP for the networks this
 * agent hosts. The agent (dhcp-agent.ts) decides which networks and when; a driver applies. `simulated` answers on a
 * loopback UDP port; `linux` runs one worker per network inside `qdhcp-<network_id>`.
 */
import type { DhcpNetworkInfo, DhcpPortInfo } from '../../../rpc/dhcp-agent.contract.js';
import type { DhcpServerConfig } from '../core/dhcp-state.js';

export interface DhcpDriver {
  readonly name: 'simulated' | 'linux';
  /** Before the first network: bind sockets, remove what an earlier run left behind. */
  start(): Promise<void>;
  /**
   * Serves the network as the server describes it now (first time: enable; later: update without a restart).
   * Idempotent. The agent passes only servable networks (see `servable`).
   */
  apply(network: DhcpNetworkInfo): Promise<void>;
  /**
   * Some ports of a network `apply` serves changed (`changed`: added or replaced; `removed`: port ids); its subnets
   * and DHCP port did not. `network` gives the whole network as it is now, for a driver that cannot apply a delta.
   */
  applyPorts(networkId: string, changed: readonly DhcpPortInfo[], removed: readonly string[], network: () => DhcpNetworkInfo): Promise<void>;
  /** Stops serving the network and removes what was made for it. Absent: nothing to do. */
  disable(networkId: string): Promise<void>;
  /** Removes what serves networks not in `keep` (after a full resync). */
  cleanup(keep: ReadonlySet<string>): Promise<void>;
  /** Stops serving everything (shutdown); never hangs. */
  stop(): Promise<void>;
  /** Extra report_state configurations (the simulated driver's UDP port). */
  configurations(): Record<string, unknown>;
}

export type { DhcpServerConfig };

/** A network is served when it is up and has a DHCP-enabled IPv4 subnet and a DHCP port (Neutron: the same test). */
export function servable(network: DhcpNetworkInfo): boolean {
  return (
    network.admin_state_up &&
    network.dhcp_port !== null &&
    network.subnets.some((s) => s.enable_dhcp && s.ip_version === 4)
  );
}
