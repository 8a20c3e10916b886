/** What the linux driver and its per-network worker say over the IPC channel (plain JSON both ways). */
import type { DhcpEventKind } from '../../core/dhcp-responder.js';
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

/** Worker → driver: a reply was sent (the agent's process counts DHCP replies served). */
export interface RepliedMessage {
  type: 'replied';
  kind: DhcpEventKind;
}

export function isServeMessage(m: unknown): m is ServeMessage {
  return typeof m === 'object' && m !== null && (m as ServeMessage).type === 'serve';
}

export function isServedMessage(m: unknown): m is ServedMessage {
  return typeof m === 'object' && m !== null && (m as ServedMessage).type === 'served';
}

export function isRepliedMessage(m: unknown): m is RepliedMessage {
  return typeof m === 'object' && m !== null && (m as RepliedMessage).type === 'replied';
}
