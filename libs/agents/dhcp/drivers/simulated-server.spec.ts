import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDhcp } from '../core/dhcp-codec.js';
import { MessageType, messageTypeOf } from '../core/dhcp-packet.js';
import type { DhcpEvent } from '../core/dhcp-responder.js';
import { type DhcpNetwork, NEUTRON_DHCP_DEFAULTS } from '../core/dhcp-state.js';
import { DHCLIENT_INIT_REBOOT, UDHCPC_DISCOVER, UDHCPC_REQUEST_SELECTING } from '../core/fixtures/captured-packets.js';
import { formatIpv4 } from '../core/ipv4.js';
import { SimulatedDhcpServer } from './simulated-server.js';

function network(ip: string): DhcpNetwork {
  return {
    id: 'net',
    mtu: 1450,
    dhcp_addresses: { sub: '10.0.0.2' },
    subnets: [{ id: 'sub', cidr: '10.0.0.0/26', gateway_ip: '10.0.0.1', dns_nameservers: [], host_routes: [], enable_dhcp: true, ip_version: 4 }],
    ports: [{ id: 'port', mac_address: 'fa:16:3e:11:22:33', fixed_ips: [{ subnet_id: 'sub', ip_address: ip }] }],
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function started(events: DhcpEvent[] = []) {
  const server = new SimulatedDhcpServer({ port: 0, state: { config: NEUTRON_DHCP_DEFAULTS, networks: [network('10.0.0.5')] }, onEvent: (e) => events.push(e) });
  const bound = await server.start();
  const client = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => server.stop(), () => new Promise<void>((resolve) => client.close(() => resolve())));
  /** Sends one datagram; resolves with the reply, or undefined after `waitMs`. */
  const exchange = (bytes: Uint8Array, waitMs = 1000) =>
    new Promise<Buffer | undefined>((resolve) => {
      const timer = setTimeout(() => {
        client.off('message', onReply);
        resolve(undefined);
      }, waitMs);
      const onReply = (message: Buffer) => {
        clearTimeout(timer);
        client.off('message', onReply);
        resolve(message);
      };
      client.on('message', onReply);
      client.send(bytes, bound.port, '127.0.0.1');
    });
  return { server, bound, exchange };
}

describe('simulated DHCP server on loopback UDP', () => {
  it('binds a free port when configured with 0 and reports it', async () => {
    const { bound } = await started();
    expect(bound.address).toBe('127.0.0.1');
    expect(bound.port).toBeGreaterThan(0);
  });

  it('answers a real DISCOVER with an OFFER and the REQUEST with an ACK, to the sender', async () => {
    const events: DhcpEvent[] = [];
    const { exchange } = await started(events);
    const offer = parseDhcp((await exchange(UDHCPC_DISCOVER))!)!;
    expect([messageTypeOf(offer), formatIpv4(offer.yiaddr), offer.xid]).toEqual([MessageType.OFFER, '10.0.0.5', 0xb0d3d84c]);
    const ack = parseDhcp((await exchange(UDHCPC_REQUEST_SELECTING))!)!;
    expect([messageTypeOf(ack), formatIpv4(ack.yiaddr)]).toEqual([MessageType.ACK, '10.0.0.5']);
    expect(events.map((e) => e.kind)).toEqual(['offer', 'ack']);
  });

  it('stays silent for garbage and keeps serving', async () => {
    const events: DhcpEvent[] = [];
    const { exchange } = await started(events);
    expect(await exchange(Buffer.from('not dhcp at all'), 200)).toBeUndefined();
    expect(events[0]).toMatchObject({ kind: 'ignored', reason: 'malformed packet' });
    expect(await exchange(UDHCPC_DISCOVER)).toBeDefined();
  });

  it('update() swaps the state without a restart: the old address is NAKed, a deleted port gets silence', async () => {
    const { server, exchange, bound } = await started();
    server.update({ config: NEUTRON_DHCP_DEFAULTS, networks: [network('10.0.0.9')] });
    expect(messageTypeOf(parseDhcp((await exchange(DHCLIENT_INIT_REBOOT))!)!)).toBe(MessageType.NAK);
    expect(formatIpv4(parseDhcp((await exchange(UDHCPC_DISCOVER))!)!.yiaddr)).toBe('10.0.0.9');
    server.update({ config: NEUTRON_DHCP_DEFAULTS, networks: [{ ...network('10.0.0.9'), ports: [] }] });
    expect(await exchange(UDHCPC_DISCOVER, 200)).toBeUndefined();
    expect(server.address).toEqual(bound);
  });

  it('fails to start on a port already taken, and stop() frees the port', async () => {
    const { server, bound } = await started();
    const second = new SimulatedDhcpServer({ port: bound.port, state: { config: NEUTRON_DHCP_DEFAULTS, networks: [] } });
    await expect(second.start()).rejects.toThrow(/EADDRINUSE/);
    await server.stop();
    await second.start();
    expect(second.address?.port).toBe(bound.port);
    await second.stop();
  });
});
