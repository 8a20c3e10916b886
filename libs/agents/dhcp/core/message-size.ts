/**
 * RFC 2131 §4.3.1: a reply must not exceed the client's maximum DHCP message size (option 57, else the 576-byte IP
 * datagram every client accepts). Only long extra_dhcp_opts or many routes get there; they give way first.
 */
import { HEADER_BYTES, type DhcpPacket, Option } from './dhcp-packet.js';

const IP_UDP_HEADERS = 28;
const MIN_DATAGRAM = 576;
/** What a guest needs to come up; everything else (249, the port's extra options) may be dropped to fit. */
const ESSENTIAL = new Set<number>([
  Option.MESSAGE_TYPE,
  Option.SERVER_ID,
  Option.LEASE_TIME,
  Option.RENEWAL_TIME,
  Option.REBINDING_TIME,
  Option.SUBNET_MASK,
  Option.BROADCAST_ADDRESS,
  Option.ROUTER,
  Option.DNS_SERVERS,
  Option.HOSTNAME,
  Option.DOMAIN_NAME,
  Option.MTU,
  Option.CLASSLESS_ROUTES,
  Option.CLIENT_ID,
]);

export function maxReplyBytes(request: DhcpPacket): number {
  const v = request.options.get(Option.MAX_MESSAGE_SIZE);
  const datagram = v?.length === 2 ? (v[0] << 8) | v[1] : MIN_DATAGRAM;
  return Math.max(datagram, MIN_DATAGRAM) - IP_UDP_HEADERS;
}

const encodedSize = (value: Uint8Array) => value.length + 2 * Math.max(1, Math.ceil(value.length / 255));

/** The options that fit in `limit` bytes: 249 goes first, then non-essential options from the end. */
export function fitOptions(options: [number, Uint8Array][], limit: number): { options: [number, Uint8Array][]; dropped: number[] } {
  let size = HEADER_BYTES + 1;
  for (const [, value] of options) size += encodedSize(value);
  if (size <= limit) return { options, dropped: [] };
  const kept = [...options];
  const dropped: number[] = [];
  const drop = (index: number) => {
    size -= encodedSize(kept[index][1]);
    dropped.push(kept[index][0]);
    kept.splice(index, 1);
  };
  const ms = kept.findIndex(([code]) => code === Option.MS_CLASSLESS_ROUTES);
  if (ms >= 0) drop(ms);
  for (let i = kept.length - 1; i >= 0 && size > limit; i--) if (!ESSENTIAL.has(kept[i][0])) drop(i);
  return { options: kept, dropped };
}
