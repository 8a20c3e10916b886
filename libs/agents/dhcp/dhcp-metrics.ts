import type { MetricsRegistry } from '../../metrics/index.js';
import type { DhcpEventKind } from './core/dhcp-responder.js';

export const DHCP_REPLIES = 'neutron_dhcp_replies_total';

/** The message type of the reply to each outcome that has one (an INFORM is answered with an ACK). */
const REPLY_TYPE: Partial<Record<DhcpEventKind, string>> = { offer: 'offer', ack: 'ack', nak: 'nak', inform: 'ack' };

/** Counts the replies this process's DHCP servers sent, by DHCP message type; undefined without a registry. */
export function dhcpRepliesCounter(metrics: MetricsRegistry | undefined): ((kind: DhcpEventKind) => void) | undefined {
  if (!metrics) return undefined;
  const counter = metrics.counter(DHCP_REPLIES, 'DHCP replies served by the DHCP agent, by message type', ['type']);
  for (const type of ['offer', 'ack', 'nak']) counter.inc({ type }, 0); // exported from the start, so rate() sees the first
  return (kind) => counter.inc({ type: REPLY_TYPE[kind] ?? kind });
}
