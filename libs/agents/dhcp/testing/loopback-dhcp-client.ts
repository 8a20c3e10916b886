/**
 * A DHCP client for tests of the simulated driver: sends real DHCPv4 packets (built field by field, independent of
 * the codec) to a loopback UDP port and decodes the replies into what a guest would configure.
 */
import dgram from 'node:dgram';
import { parseDhcp } from '../core/dhcp-codec.js';
import { addressOption, messageTypeOf, Option } from '../core/dhcp-packet.js';
import { clientPacket, DHCP, opt } from '../core/fixtures/rfc-packets.js';
import { formatIpv4 } from '../core/ipv4.js';

export interface DhcpAnswer {
  type: 'OFFER' | 'ACK' | 'NAK' | string;
  yiaddr: string;
  server_id?: string;
  subnet_mask?: string;
  routers: string[];
  dns: string[];
  domain?: string;
  mtu?: number;
  lease_time?: number;
}

const TYPES: Record<number, string> = { 2: 'OFFER', 5: 'ACK', 6: 'NAK' };

function decode(bytes: Buffer): DhcpAnswer | undefined {
  const p = parseDhcp(bytes);
  if (!p) return undefined;
  const list = (code: number) => {
    const v = p.options.get(code);
    const out: string[] = [];
    for (let i = 0; v && i + 4 <= v.length; i += 4) out.push(`${v[i]}.${v[i + 1]}.${v[i + 2]}.${v[i + 3]}`);
    return out;
  };
  const mtu = p.options.get(Option.MTU);
  const lease = p.options.get(Option.LEASE_TIME);
  const domain = p.options.get(Option.DOMAIN_NAME);
  const serverId = addressOption(p, Option.SERVER_ID);
  return {
    type: TYPES[messageTypeOf(p) ?? 0] ?? String(messageTypeOf(p)),
    yiaddr: formatIpv4(p.yiaddr),
    server_id: serverId === undefined ? undefined : formatIpv4(serverId),
    subnet_mask: list(Option.SUBNET_MASK)[0],
    routers: list(Option.ROUTER),
    dns: list(Option.DNS_SERVERS),
    domain: domain ? Buffer.from(domain).toString() : undefined,
    mtu: mtu ? (mtu[0] << 8) | mtu[1] : undefined,
    lease_time: lease ? Buffer.from(lease).readUInt32BE(0) : undefined,
  };
}

export class LoopbackDhcpClient {
  private constructor(
    private readonly socket: dgram.Socket,
    private readonly port: number,
    private readonly host: string,
  ) {}

  static async open(port: number, host = '127.0.0.1'): Promise<LoopbackDhcpClient> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new LoopbackDhcpClient(socket, port, host);
  }

  /** DISCOVER from `mac`: the OFFER, or undefined when the server stays silent for `waitMs`. */
  discover(mac: string, waitMs = 1000): Promise<DhcpAnswer | undefined> {
    return this.exchange(clientPacket({ mac, xid: xid(), options: opt.type(DHCP.DISCOVER) + opt.paramsUdhcpc }), waitMs);
  }

  /** REQUEST in SELECTING state for `address` from `serverId`. */
  request(mac: string, address: string, serverId: string, waitMs = 1000): Promise<DhcpAnswer | undefined> {
    const options = opt.type(DHCP.REQUEST) + opt.requestedIp(address) + opt.serverId(serverId) + opt.paramsUdhcpc;
    return this.exchange(clientPacket({ mac, xid: xid(), options }), waitMs);
  }

  /** DISCOVER then REQUEST: the ACK a guest would configure from, or undefined. */
  async lease(mac: string, waitMs = 1000): Promise<DhcpAnswer | undefined> {
    const offer = await this.discover(mac, waitMs);
    if (offer?.type !== 'OFFER' || !offer.server_id) return undefined;
    return this.request(mac, offer.yiaddr, offer.server_id, waitMs);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private exchange(bytes: Uint8Array, waitMs: number): Promise<DhcpAnswer | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.socket.off('message', onReply);
        resolve(undefined);
      }, waitMs);
      const onReply = (message: Buffer) => {
        clearTimeout(timer);
        this.socket.off('message', onReply);
        resolve(decode(message));
      };
      this.socket.on('message', onReply);
      this.socket.send(bytes, this.port, this.host);
    });
  }
}

const xid = () => Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
