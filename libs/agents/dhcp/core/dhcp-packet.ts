/** DHCPv4 message layout (RFC 2131 §2, RFC 951), option codes and message types used by the server. */

export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
export const HTYPE_ETHERNET = 1;
export const BROADCAST_FLAG = 0x8000;
export const MAGIC_COOKIE = 0x63825363;
/** The fixed header up to and including the magic cookie. */
export const HEADER_BYTES = 240;
/** RFC 2131 / BOOTP: many clients drop replies shorter than a BOOTP message; pad to this. */
export const MIN_REPLY_BYTES = 300;
export const SERVER_PORT = 67;
export const CLIENT_PORT = 68;

export const MessageType = {
  DISCOVER: 1,
  OFFER: 2,
  REQUEST: 3,
  DECLINE: 4,
  ACK: 5,
  NAK: 6,
  RELEASE: 7,
  INFORM: 8,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const Option = {
  PAD: 0,
  SUBNET_MASK: 1,
  ROUTER: 3,
  DNS_SERVERS: 6,
  HOSTNAME: 12,
  DOMAIN_NAME: 15,
  MTU: 26,
  BROADCAST_ADDRESS: 28,
  REQUESTED_IP: 50,
  LEASE_TIME: 51,
  OVERLOAD: 52,
  MESSAGE_TYPE: 53,
  SERVER_ID: 54,
  PARAMETER_LIST: 55,
  MESSAGE: 56,
  MAX_MESSAGE_SIZE: 57,
  RENEWAL_TIME: 58,
  REBINDING_TIME: 59,
  CLIENT_ID: 61,
  CLASSLESS_ROUTES: 121,
  /** Microsoft's copy of 121, which Neutron's dnsmasq configuration also sends. */
  MS_CLASSLESS_ROUTES: 249,
  END: 255,
} as const;

/** One DHCP message. Addresses are unsigned 32-bit numbers; options keep their first-seen order. */
export interface DhcpPacket {
  op: number;
  htype: number;
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: number;
  yiaddr: number;
  siaddr: number;
  giaddr: number;
  /** 16 bytes; the first `hlen` are the hardware address. */
  chaddr: Uint8Array;
  /** 64 bytes. */
  sname: Uint8Array;
  /** 128 bytes. */
  file: Uint8Array;
  /** Repeated codes already concatenated (RFC 3396). */
  options: Map<number, Uint8Array>;
}

export function messageTypeOf(packet: DhcpPacket): number | undefined {
  const value = packet.options.get(Option.MESSAGE_TYPE);
  return value?.length === 1 ? value[0] : undefined;
}

/** Ethernet chaddr as Neutron writes MACs ('fa:16:3e:…', lower case); undefined for other hardware types. */
export function macOf(packet: DhcpPacket): string | undefined {
  if (packet.htype !== HTYPE_ETHERNET || packet.hlen !== 6) return undefined;
  let out = '';
  for (let i = 0; i < 6; i++) out += (i ? ':' : '') + packet.chaddr[i].toString(16).padStart(2, '0');
  return out;
}

export function parseMac(mac: string): Uint8Array | undefined {
  if (!/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(mac)) return undefined;
  return Uint8Array.from(mac.split(':').map((h) => parseInt(h, 16)));
}

/** A 4-byte option as an address, e.g. requested IP (50) or server id (54). */
export function addressOption(packet: DhcpPacket, code: number): number | undefined {
  const v = packet.options.get(code);
  return v?.length === 4 ? ((v[0] * 0x1000000 + v[1] * 0x10000 + v[2] * 0x100 + v[3]) >>> 0) : undefined;
}
