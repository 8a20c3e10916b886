import dgram from 'node:dgram';
import { parseDhcp } from '../../../libs/agents/dhcp/core/dhcp-codec.js';
import { MessageType, messageTypeOf } from '../../../libs/agents/dhcp/core/dhcp-packet.js';
import { type DhcpNetwork, NEUTRON_DHCP_DEFAULTS } from '../../../libs/agents/dhcp/core/dhcp-state.js';
import { formatIpv4, parseIpv4 } from '../../../libs/agents/dhcp/core/ipv4.js';
import { SimulatedDhcpServer } from '../../../libs/agents/dhcp/drivers/simulated-server.js';
import type { CaseResult } from '../runner.js';
import type { BenchCase, BenchContext, Target } from '../types.js';

/**
 * Issue 6's DHCP figures: the DHCP core behind the `simulated` driver (real DHCPv4 over loopback UDP, in the bench
 * process), serving one network of 1,000 ports. One exchange = a packet out and its reply back, matched by xid.
 */
const KEY = 'dhcp.bench';
const PORTS = 1000;
const SERVER_ID = '192.168.0.2';
const TIMEOUT_MS = 1000;

interface DhcpBench {
  server: SimulatedDhcpServer;
  client: dgram.Socket;
  serverPort: number;
  waiting: Map<number, (reply: Buffer) => void>;
  nextXid: number;
}

const mac = (i: number) => [0xfa, 0x16, 0x3e, 0, (i >> 8) & 0xff, i & 0xff];
/** Port i's address in 192.168.0.0/21 (top bit set), skipping .0–.9 where the gateway and DHCP port live. */
const address = (i: number) => formatIpv4(parseIpv4('192.168.0.10')! + i);

function benchNetwork(): DhcpNetwork {
  return {
    id: 'bench-net',
    mtu: 1450,
    dhcp_addresses: { 'bench-subnet': SERVER_ID },
    subnets: [{ id: 'bench-subnet', cidr: '192.168.0.0/21', gateway_ip: '192.168.0.1', dns_nameservers: ['192.168.0.53'], host_routes: [], enable_dhcp: true, ip_version: 4 }],
    ports: Array.from({ length: PORTS }, (_, i) => ({
      id: `port-${i}`,
      mac_address: mac(i).map((b) => b.toString(16).padStart(2, '0')).join(':'),
      fixed_ips: [{ subnet_id: 'bench-subnet', ip_address: address(i) }],
    })),
  };
}

/** A client packet as dhclient sends it (RFC 2131 layout), 300 bytes. */
function clientPacket(xid: number, port: number, type: number): Buffer {
  const p = Buffer.alloc(300);
  p.set([1, 1, 6, 0], 0);
  p.writeUInt32BE(xid, 4);
  p.set(mac(port), 28);
  p.writeUInt32BE(0x63825363, 236);
  const options = [53, 1, type];
  if (type === MessageType.REQUEST) options.push(54, 4, ...SERVER_ID.split('.').map(Number), 50, 4, ...address(port).split('.').map(Number));
  options.push(55, 13, 1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42, 255);
  p.set(options, 240);
  return p;
}

async function start(ctx: BenchContext): Promise<void> {
  await stop(ctx);
  const server = new SimulatedDhcpServer({ port: 0, state: { config: NEUTRON_DHCP_DEFAULTS, networks: [benchNetwork()] } });
  const { port } = await server.start();
  const client = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
  const bench: DhcpBench = { server, client, serverPort: port, waiting: new Map(), nextXid: 1 };
  client.on('message', (reply) => {
    if (reply.length < 8) return;
    const xid = reply.readUInt32BE(4);
    bench.waiting.get(xid)?.(reply);
    bench.waiting.delete(xid);
  });
  ctx.state.set(KEY, bench);
}

async function stop(ctx: BenchContext): Promise<void> {
  const bench = ctx.state.get(KEY) as DhcpBench | undefined;
  if (!bench) return;
  ctx.state.delete(KEY);
  await bench.server.stop();
  await new Promise<void>((resolve) => bench.client.close(() => resolve()));
}

function exchange(ctx: BenchContext, i: number, send: number, expect: number): Promise<void> {
  const bench = ctx.state.get(KEY) as DhcpBench;
  const port = i % PORTS;
  const xid = bench.nextXid++;
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      bench.waiting.delete(xid);
      reject(new Error(`no reply to xid ${xid} within ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
    bench.waiting.set(xid, (bytes) => {
      clearTimeout(timer);
      const reply = parseDhcp(bytes);
      const got = reply && `${messageTypeOf(reply)} ${formatIpv4(reply.yiaddr)}`;
      if (got === `${expect} ${address(port)}`) resolve();
      else reject(new Error(`expected type ${expect} for ${address(port)}, got ${got}`));
    });
    bench.client.send(clientPacket(xid, port, send), bench.serverPort, '127.0.0.1');
  });
}

const dhcpCase = (id: string, title: string, count: number, concurrency: number, send: number, expect: number): BenchCase => ({
  id,
  title,
  count,
  concurrency,
  prepare: (ctx) => start(ctx),
  exchange: (ctx, i) => exchange(ctx, i, send, expect),
  finish: (ctx) => stop(ctx),
});

export const dhcpCases: BenchCase[] = [
  dhcpCase('dhcp.discover-offer', 'DHCP DISCOVER→OFFER, 1,000 ports, loopback', 5000, 1, MessageType.DISCOVER, MessageType.OFFER),
  dhcpCase('dhcp.request-ack', 'DHCP REQUEST→ACK, 1,000 ports, loopback', 5000, 1, MessageType.REQUEST, MessageType.ACK),
  dhcpCase('dhcp.discover-offer.c16', 'DHCP DISCOVER→OFFER c16 (replies/s)', 20000, 16, MessageType.DISCOVER, MessageType.OFFER),
];

/** Issue 6: p99 under 5 ms for both exchanges. */
export function dhcpTargets(cases: CaseResult[]): Target[] {
  return ['dhcp.discover-offer', 'dhcp.request-ack', 'dhcp.discover-offer.c16'].map((id) => {
    const c = cases.find((r) => r.id === id && r.count > 0 && !r.failed);
    return { id: `${id}.p99`, title: `${c?.title ?? id} p99`, unit: 'ms', limit: 5, measured: c ? c.p99Ms : null, met: c ? c.p99Ms < 5 : null, reference: '-' };
  });
}
