/** What the linux driver and its per-network worker say over the IPC channel (plain JSON both ways). */
import type { DhcpServerState } from '../../core/dhcp-state.js';

/** Driver → worker: serve this state, replying from these addresses (the DHCP port's IPv4 addresses). */
export interface ServeMessage {
  type: 'serve';
  seq: number;
  state: DhcpServerState;
  addresses: string[];
}

/** Worker → driver: the state `seq` is served (or why not). */
export interface ServedMessage {
  type: 'served';
  seq: number;
  error?: string;
}

export function isServeMessage(m: unknown): m is ServeMessage {
  return typeof m === 'object' && m !== null && (m as ServeMessage).type === 'serve';
}

export function isServedMessage(m: unknown): m is ServedMessage {
  return typeof m === 'object' && m !== null && (m as ServedMessage).type === 'served';
}
