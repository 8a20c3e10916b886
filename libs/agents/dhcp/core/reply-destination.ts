/** Where a server sends a reply (RFC 2131 §4.1, "If the 'giaddr' field … is nonzero …"). */
import { CLIENT_PORT, type DhcpPacket, MessageType, SERVER_PORT } from './dhcp-packet.js';

export const LIMITED_BROADCAST = 0xffffffff;

export interface ReplyDestination {
  address: number;
  port: number;
  /** True when sent to 255.255.255.255 (the socket needs SO_BROADCAST). */
  broadcast: boolean;
}

export function replyDestination(request: DhcpPacket, replyType: MessageType): ReplyDestination {
  if (request.giaddr !== 0) return { address: request.giaddr, port: SERVER_PORT, broadcast: false };
  if (replyType === MessageType.NAK) return { address: LIMITED_BROADCAST, port: CLIENT_PORT, broadcast: true };
  if (request.ciaddr !== 0) return { address: request.ciaddr, port: CLIENT_PORT, broadcast: false };
  // Without the broadcast flag RFC 2131 unicasts to yiaddr at chaddr, which needs an ARP entry injected first;
  // Node cannot do that, so such replies are broadcast too (every client accepts a broadcast reply).
  return { address: LIMITED_BROADCAST, port: CLIENT_PORT, broadcast: true };
}
