import { describe, expect, it } from 'vitest';
import { parseDhcp } from './dhcp-codec.js';
import { BROADCAST_FLAG, macOf, MessageType, messageTypeOf } from './dhcp-packet.js';
import { type DhcpOutcome, DhcpResponder } from './dhcp-responder.js';
import { type DhcpNetwork, NEUTRON_DHCP_DEFAULTS, type DhcpServerConfig } from './dhcp-state.js';
import * as captured from './fixtures/captured-packets.js';
import { clientPacket, DHCP, opt } from './fixtures/rfc-packets.js';
import { formatIpv4 } from './ipv4.js';

const MAC = 'fa:16:3e:11:22:33';
const text = (s: string) => Buffer.from(s).toString('hex');

/** The network the captures were taken against: 10.0.0.0/26, DHCP port 10.0.0.2, the guest's port 10.0.0.5. */
function net10(overrides: Partial<DhcpNetwork> = {}): DhcpNetwork {
  return {
    id: 'net-10',
    mtu: 1450,
    dhcp_addresses: { 'sub-10': '10.0.0.2' },
    subnets: [{ id: 'sub-10', cidr: '10.0.0.0/26', gateway_ip: '10.0.0.1', dns_nameservers: [], host_routes: [], enable_dhcp: true, ip_version: 4 }],
    ports: [{ id: 'port-a', mac_address: MAC, fixed_ips: [{ subnet_id: 'sub-10', ip_address: '10.0.0.5' }] }],
    ...overrides,
  };
}

/** 192.168.100.0/24: addresses with the top bit set. */
function net192(): DhcpNetwork {
  return {
    id: 'net-192',
    mtu: 1500,
    dhcp_addresses: { 'sub-192': '192.168.100.2' },
    subnets: [
      { id: 'sub-192', cidr: '192.168.100.0/24', gateway_ip: '192.168.100.1', dns_nameservers: ['192.168.0.53', '8.8.8.8'], host_routes: [], enable_dhcp: true, ip_version: 4 },
    ],
    ports: [{ id: 'port-192', mac_address: 'FA:16:3E:C0:A8:C8', fixed_ips: [{ subnet_id: 'sub-192', ip_address: '192.168.100.200' }] }],
  };
}

/** A /30 without a gateway: the DHCP port and one guest fill it. */
function net30(): DhcpNetwork {
  return {
    id: 'net-30',
    mtu: 1400,
    dhcp_addresses: { 'sub-30': '192.168.255.253' },
    subnets: [{ id: 'sub-30', cidr: '192.168.255.252/30', gateway_ip: null, dns_nameservers: ['0.0.0.0'], host_routes: [], enable_dhcp: true, ip_version: 4 }],
    ports: [{ id: 'port-30', mac_address: 'fa:16:3e:00:00:30', fixed_ips: [{ subnet_id: 'sub-30', ip_address: '192.168.255.254' }] }],
  };
}

const responder = (networks: DhcpNetwork[], config: DhcpServerConfig = NEUTRON_DHCP_DEFAULTS) => new DhcpResponder({ config, networks });

interface Seen {
  type: number | undefined;
  options: [number, string][];
  yiaddr: string;
  ciaddr: string;
  siaddr: string;
  giaddr: string;
  flags: number;
  xid: number;
  mac: string | undefined;
  to: string;
  length: number;
}

function seen(outcome: DhcpOutcome): Seen {
  expect(outcome.reply, `expected a reply, got ${JSON.stringify(outcome.event)}`).toBeDefined();
  const { bytes, destination } = outcome.reply!;
  const p = parseDhcp(bytes)!;
  expect(p.op).toBe(2);
  return {
    type: messageTypeOf(p),
    options: [...p.options].map(([c, v]) => [c, Buffer.from(v).toString('hex')]),
    yiaddr: formatIpv4(p.yiaddr),
    ciaddr: formatIpv4(p.ciaddr),
    siaddr: formatIpv4(p.siaddr),
    giaddr: formatIpv4(p.giaddr),
    flags: p.flags,
    xid: p.xid,
    mac: macOf(p),
    to: `${formatIpv4(destination.address)}:${destination.port}`,
    length: bytes.length,
  };
}

const option = (s: Seen, code: number) => s.options.find(([c]) => c === code)?.[1];
const codes = (s: Seen) => s.options.map(([c]) => c);

/** Everything a guest on net10 gets, in send order, after 53 and 54. */
const NET10_LEASE_OPTIONS: [number, string][] = [
  [51, '00015180'], // 86400 s
  [58, '0000a8c0'], // T1 = 50 %
  [59, '00012750'], // T2 = 87.5 %
  [1, 'ffffffc0'],
  [28, '0a00003f'],
  [3, '0a000001'],
  [6, '0a000002'], // no dns_nameservers: the DHCP port, as dnsmasq
  [12, text('host-10-0-0-5')],
  [15, text('openstacklocal')],
  [26, '05aa'], // 1450, sent though udhcpc does not ask for it
];

describe('DISCOVER → OFFER', () => {
  it('offers the port\'s address with every option to busybox udhcpc (real DISCOVER)', () => {
    const offer = seen(responder([net10()]).handle(captured.UDHCPC_DISCOVER));
    expect(offer).toMatchObject({ type: MessageType.OFFER, yiaddr: '10.0.0.5', ciaddr: '0.0.0.0', xid: 0xb0d3d84c, mac: MAC });
    expect(offer.length).toBe(240 + 96); // over the 300-byte floor: nothing to pad
    expect(offer.options).toEqual([[53, '02'], [54, '0a000002'], ...NET10_LEASE_OPTIONS, [61, '01fa163e112233']]);
    expect(offer.to).toBe('255.255.255.255:68');
  });

  it('offers the same to ISC dhclient (real DISCOVER; no client id to echo)', () => {
    const offer = seen(responder([net10()]).handle(captured.DHCLIENT_DISCOVER));
    expect(offer.options).toEqual([[53, '02'], [54, '0a000002'], ...NET10_LEASE_OPTIONS]);
  });

  it('serves a 192.168.x/24 client: mask, router and both name servers with the top bit set', () => {
    const offer = seen(responder([net192()]).handle(clientPacket({ mac: 'fa:16:3e:c0:a8:c8', options: opt.type(DHCP.DISCOVER) + opt.paramsDhclient })));
    expect(offer.yiaddr).toBe('192.168.100.200');
    expect([option(offer, 54), option(offer, 1), option(offer, 28), option(offer, 3), option(offer, 6), option(offer, 26)]).toEqual([
      'c0a86402',
      'ffffff00',
      'c0a864ff',
      'c0a86401',
      'c0a80035' + '08080808',
      '05dc',
    ]);
    expect(option(offer, 12)).toBe(text('host-192-168-100-200'));
  });

  it('serves a /30 without gateway: no router option, and no DNS option when the subnet says 0.0.0.0', () => {
    const offer = seen(responder([net30()]).handle(clientPacket({ mac: 'fa:16:3e:00:00:30', options: opt.type(DHCP.DISCOVER) + opt.paramsUdhcpc })));
    expect([offer.yiaddr, option(offer, 1), option(offer, 28), option(offer, 54)]).toEqual(['192.168.255.254', 'fffffffc', 'c0a8ffff', 'c0a8fffd']);
    expect(codes(offer)).not.toContain(3);
    expect(codes(offer)).not.toContain(6);
    expect(codes(offer)).not.toContain(121);
  });

  it('answers a relayed DISCOVER to the relay at port 67, echoing giaddr', () => {
    const offer = seen(
      responder([net192()]).handle(clientPacket({ mac: 'fa:16:3e:c0:a8:c8', hops: 1, giaddr: '192.168.100.1', options: opt.type(DHCP.DISCOVER) })),
    );
    expect([offer.to, offer.giaddr, offer.yiaddr]).toEqual(['192.168.100.1:67', '192.168.100.1', '192.168.100.200']);
  });

  it('keeps the broadcast flag and broadcasts when a client sets it', () => {
    const offer = seen(responder([net10()]).handle(clientPacket({ mac: MAC, broadcast: true, options: opt.type(DHCP.DISCOVER) })));
    expect([offer.flags, offer.to]).toEqual([BROADCAST_FLAG, '255.255.255.255:68']);
  });

  it('stays silent for a MAC no port has', () => {
    const other = net10({ ports: [{ id: 'p', mac_address: 'fa:16:3e:99:99:99', fixed_ips: [{ subnet_id: 'sub-10', ip_address: '10.0.0.9' }] }] });
    for (const packet of [captured.UDHCPC_DISCOVER, captured.DHCLIENT_DISCOVER, captured.UDHCPC_REQUEST_SELECTING, captured.DHCLIENT_INIT_REBOOT]) {
      const outcome = responder([other]).handle(packet);
      expect(outcome.reply).toBeUndefined();
      expect(outcome.event).toMatchObject({ kind: 'ignored', reason: 'unknown MAC', mac: MAC });
    }
  });
});

describe('REQUEST', () => {
  it('SELECTING, our server id, the offered address: ACK (real udhcpc and dhclient REQUESTs)', () => {
    for (const packet of [captured.UDHCPC_REQUEST_SELECTING, captured.DHCLIENT_REQUEST_SELECTING]) {
      const ack = seen(responder([net10()]).handle(packet));
      expect([ack.type, ack.yiaddr, ack.to]).toEqual([MessageType.ACK, '10.0.0.5', '255.255.255.255:68']);
      expect(ack.options.slice(0, 2)).toEqual([[53, '05'], [54, '0a000002']]);
      expect(ack.options).toEqual(expect.arrayContaining(NET10_LEASE_OPTIONS));
    }
  });

  it('SELECTING, our server id, an address that is not the client\'s: NAK', () => {
    const request = clientPacket({ mac: MAC, options: opt.type(DHCP.REQUEST) + opt.serverId('10.0.0.2') + opt.requestedIp('10.0.0.6') });
    const outcome = responder([net10()]).handle(request);
    const nak = seen(outcome);
    expect([nak.type, nak.yiaddr, nak.to]).toEqual([MessageType.NAK, '0.0.0.0', '255.255.255.255:68']);
    expect(codes(nak)).toEqual([53, 54, 56]);
    expect(outcome.event).toMatchObject({ kind: 'nak', address: 0x0a000006 });
  });

  it('SELECTING another server\'s offer: silence', () => {
    const request = clientPacket({ mac: MAC, options: opt.type(DHCP.REQUEST) + opt.serverId('10.0.0.3') + opt.requestedIp('10.0.0.5') });
    const outcome = responder([net10()]).handle(request);
    expect(outcome.reply).toBeUndefined();
    expect(outcome.event).toMatchObject({ kind: 'ignored', reason: 'client selected another server' });
  });

  it('INIT-REBOOT for the client\'s address: ACK (real dhclient restart)', () => {
    const ack = seen(responder([net10()]).handle(captured.DHCLIENT_INIT_REBOOT));
    expect([ack.type, ack.yiaddr, ack.ciaddr]).toEqual([MessageType.ACK, '10.0.0.5', '0.0.0.0']);
  });

  it('INIT-REBOOT for a stale address after the port moved: NAK, then the new address on DISCOVER', () => {
    const moved = responder([net10({ ports: [{ id: 'port-a', mac_address: MAC, fixed_ips: [{ subnet_id: 'sub-10', ip_address: '10.0.0.6' }] }] })]);
    expect(seen(moved.handle(captured.DHCLIENT_INIT_REBOOT)).type).toBe(MessageType.NAK);
    expect(seen(moved.handle(captured.DHCLIENT_DISCOVER)).yiaddr).toBe('10.0.0.6');
  });

  it('RENEWING (unicast, ciaddr): ACK unicast to ciaddr:68 with ciaddr echoed (real udhcpc renewal)', () => {
    const ack = seen(responder([net10()]).handle(captured.UDHCPC_REQUEST_RENEWING));
    expect([ack.type, ack.yiaddr, ack.ciaddr, ack.to]).toEqual([MessageType.ACK, '10.0.0.5', '10.0.0.5', '10.0.0.5:68']);
    expect(option(ack, 51)).toBe('00015180');
  });

  it('RENEWING for an address that is no longer the client\'s: NAK, broadcast', () => {
    const moved = responder([net10({ ports: [{ id: 'port-a', mac_address: MAC, fixed_ips: [{ subnet_id: 'sub-10', ip_address: '10.0.0.7' }] }] })]);
    const nak = seen(moved.handle(captured.UDHCPC_REQUEST_RENEWING));
    expect([nak.type, nak.to, nak.ciaddr]).toEqual([MessageType.NAK, '255.255.255.255:68', '0.0.0.0']);
  });

  it('REBINDING (broadcast, ciaddr): ACK to ciaddr; NAK when ciaddr is not the client\'s', () => {
    const r = responder([net192()]);
    const rebind = (ciaddr: string) => clientPacket({ mac: 'fa:16:3e:c0:a8:c8', broadcast: true, ciaddr, options: opt.type(DHCP.REQUEST) });
    const ack = seen(r.handle(rebind('192.168.100.200')));
    expect([ack.type, ack.to, ack.ciaddr]).toEqual([MessageType.ACK, '192.168.100.200:68', '192.168.100.200']);
    expect(seen(r.handle(rebind('192.168.100.201'))).type).toBe(MessageType.NAK);
  });

  it('a relayed NAK goes to the relay with the broadcast bit set', () => {
    const request = clientPacket({ mac: 'fa:16:3e:c0:a8:c8', giaddr: '192.168.100.1', options: opt.type(DHCP.REQUEST) + opt.requestedIp('192.168.100.9') });
    const nak = seen(responder([net192()]).handle(request));
    expect([nak.type, nak.to, nak.flags, nak.giaddr]).toEqual([MessageType.NAK, '192.168.100.1:67', BROADCAST_FLAG, '192.168.100.1']);
  });

  it('a REQUEST naming no address at all is ignored', () => {
    expect(responder([net10()]).handle(clientPacket({ mac: MAC, options: opt.type(DHCP.REQUEST) })).reply).toBeUndefined();
  });
});

describe('RELEASE, DECLINE, INFORM', () => {
  it('records a RELEASE (real udhcpc and dhclient) and sends nothing', () => {
    for (const packet of [captured.UDHCPC_RELEASE, captured.DHCLIENT_RELEASE]) {
      const outcome = responder([net10()]).handle(packet);
      expect(outcome.reply).toBeUndefined();
      expect(outcome.event).toMatchObject({ kind: 'release', mac: MAC, portId: 'port-a', address: 0x0a000005 });
    }
  });

  it('records a DECLINE and sends nothing', () => {
    const outcome = responder([net10()]).handle(clientPacket({ mac: MAC, options: opt.type(DHCP.DECLINE) + opt.requestedIp('10.0.0.5') + opt.serverId('10.0.0.2') }));
    expect(outcome.reply).toBeUndefined();
    expect(outcome.event).toMatchObject({ kind: 'decline', portId: 'port-a', address: 0x0a000005 });
  });

  it('answers INFORM with an ACK to ciaddr: no yiaddr, no lease times', () => {
    const ack = seen(responder([net10()]).handle(clientPacket({ mac: MAC, ciaddr: '10.0.0.5', options: opt.type(DHCP.INFORM) + opt.paramsUdhcpc })));
    expect([ack.type, ack.yiaddr, ack.ciaddr, ack.to]).toEqual([MessageType.ACK, '0.0.0.0', '10.0.0.5', '10.0.0.5:68']);
    expect(codes(ack)).not.toEqual(expect.arrayContaining([51]));
    expect(codes(ack).filter((c) => c === 51 || c === 58 || c === 59)).toEqual([]);
    expect(option(ack, 1)).toBe('ffffffc0');
  });
});

describe('options', () => {
  it('sends host routes as option 121 (and 249) ending with the default route via the gateway', () => {
    const network = net10();
    network.subnets[0].host_routes = [
      { destination: '172.16.0.0/24', nexthop: '10.0.0.1' },
      { destination: '192.168.50.0/23', nexthop: '10.0.0.62' },
    ];
    const offer = seen(responder([network]).handle(captured.DHCLIENT_DISCOVER));
    const routes = '18ac1000' + '0a000001' + '17c0a832' + '0a00003e' + '00' + '0a000001';
    expect([option(offer, 121), option(offer, 249), option(offer, 3)]).toEqual([routes, routes, '0a000001']);
  });

  it('routes to the network\'s other IPv4 subnets on-link, and takes a 0.0.0.0/0 host route as the gateway', () => {
    const network = net10();
    network.subnets[0].gateway_ip = null;
    network.subnets[0].host_routes = [{ destination: '0.0.0.0/0', nexthop: '10.0.0.62' }];
    network.subnets.push({ id: 'sub-b', cidr: '192.168.9.0/24', gateway_ip: null, dns_nameservers: [], host_routes: [], enable_dhcp: false, ip_version: 4 });
    network.subnets.push({ id: 'sub-6', cidr: '2001:db8::/64', gateway_ip: null, dns_nameservers: [], host_routes: [], enable_dhcp: true, ip_version: 6 });
    const offer = seen(responder([network]).handle(captured.DHCLIENT_DISCOVER));
    expect(option(offer, 3)).toBe('0a00003e');
    expect(option(offer, 121)).toBe('18c0a809' + '00000000' + '00' + '0a00003e');
  });

  it('sends no option 121 without routes', () => {
    expect(codes(seen(responder([net10()]).handle(captured.DHCLIENT_DISCOVER)))).not.toContain(121);
  });

  it('takes lease time and domain from config: T1 50 %, T2 87.5 %, -1 = infinite without T1/T2, no domain when empty', () => {
    const odd = seen(responder([net10()], { lease_duration: 1001, dns_domain: 'example.org' }).handle(captured.DHCLIENT_DISCOVER));
    expect([option(odd, 51), option(odd, 58), option(odd, 59), option(odd, 15)]).toEqual(['000003e9', '000001f4', '0000036b', text('example.org')]);
    const infinite = seen(responder([net10()], { lease_duration: -1, dns_domain: '' }).handle(captured.DHCLIENT_DISCOVER));
    expect(option(infinite, 51)).toBe('ffffffff');
    expect(codes(infinite)).not.toContain(58);
    expect(codes(infinite)).not.toContain(59);
    expect(codes(infinite)).not.toContain(15);
  });

  it('applies the port\'s extra_dhcp_opts over the subnet\'s, and leaves other ports alone', () => {
    const network = net10();
    network.subnets[0].host_routes = [{ destination: '172.16.0.0/24', nexthop: '10.0.0.1' }];
    network.ports[0].extra_dhcp_opts = [
      { opt_name: 'router', opt_value: '10.0.0.62', ip_version: 4 },
      { opt_name: 'classless-static-route', opt_value: '' },
      { opt_name: 'mtu', opt_value: '1400' },
      { opt_name: 'tftp-server', opt_value: '10.0.0.9' },
      { opt_name: 'bootfile-name', opt_value: 'pxelinux.0' },
      { opt_name: 'server-ip-address', opt_value: '10.0.0.9' },
      { opt_name: 'dns-server', opt_value: '2001:db8::53', ip_version: 6 },
      { opt_name: '252', opt_value: 'http://wpad/wpad.dat' },
    ];
    network.ports.push({ id: 'port-b', mac_address: 'fa:16:3e:00:00:0b', fixed_ips: [{ subnet_id: 'sub-10', ip_address: '10.0.0.11' }] });
    const r = responder([network]);
    const offer = seen(r.handle(captured.DHCLIENT_DISCOVER));
    expect([option(offer, 3), option(offer, 26), option(offer, 66), option(offer, 67), option(offer, 252), offer.siaddr]).toEqual([
      '0a00003e',
      '0578',
      text('10.0.0.9'),
      text('pxelinux.0'),
      text('http://wpad/wpad.dat'),
      '10.0.0.9',
    ]);
    expect(codes(offer)).not.toContain(121);
    expect(option(offer, 249)).toBeDefined(); // only 121 was named blank
    const neighbour = seen(r.handle(clientPacket({ mac: 'fa:16:3e:00:00:0b', options: opt.type(DHCP.DISCOVER) })));
    expect([option(neighbour, 3), option(neighbour, 26), neighbour.siaddr]).toEqual(['0a000001', '05aa', '0.0.0.0']);
    expect(option(neighbour, 121)).toBeDefined();
  });
});

describe('leases come from the ports only', () => {
  it('serves nothing on a DHCP-disabled subnet, nor a subnet without a DHCP port address', () => {
    const disabled = net10();
    disabled.subnets[0].enable_dhcp = false;
    expect(responder([disabled]).handle(captured.UDHCPC_DISCOVER).event).toMatchObject({ kind: 'ignored', reason: 'unknown MAC' });
    const noServer = net10({ dhcp_addresses: {} });
    const r = responder([noServer]);
    expect(r.handle(captured.UDHCPC_DISCOVER).reply).toBeUndefined();
    expect(r.warnings).toEqual(['subnet sub-10: no DHCP port address, not served']);
  });

  it('offers the first of several addresses and ACKs a REQUEST for any of them', () => {
    const network = net10();
    network.subnets.push({ id: 'sub-b', cidr: '10.0.1.0/24', gateway_ip: '10.0.1.1', dns_nameservers: [], host_routes: [], enable_dhcp: true, ip_version: 4 });
    network.dhcp_addresses['sub-b'] = '10.0.1.2';
    network.ports[0].fixed_ips.push({ subnet_id: 'sub-b', ip_address: '10.0.1.5' });
    const r = responder([network]);
    expect(seen(r.handle(captured.UDHCPC_DISCOVER)).yiaddr).toBe('10.0.0.5');
    const ack = seen(r.handle(clientPacket({ mac: MAC, options: opt.type(DHCP.REQUEST) + opt.serverId('10.0.0.2') + opt.requestedIp('10.0.1.5') })));
    expect([ack.type, ack.yiaddr, option(ack, 54), option(ack, 3)]).toEqual([MessageType.ACK, '10.0.1.5', '0a000102', '0a000101']);
  });

  it('tells apart one MAC on two networks by the relay\'s subnet', () => {
    const a = net192();
    const b = { ...net10(), ports: [{ id: 'port-b', mac_address: 'fa:16:3e:c0:a8:c8', fixed_ips: [{ subnet_id: 'sub-10', ip_address: '10.0.0.40' }] }] };
    const r = responder([a, b]);
    const relayed = (giaddr: string) => clientPacket({ mac: 'fa:16:3e:c0:a8:c8', giaddr, options: opt.type(DHCP.DISCOVER) });
    expect(seen(r.handle(relayed('10.0.0.1'))).yiaddr).toBe('10.0.0.40');
    expect(seen(r.handle(relayed('192.168.100.1'))).yiaddr).toBe('192.168.100.200');
  });

  it('update() swaps the ports: a deleted port gets silence, a moved one a NAK for its old address', () => {
    const r = responder([net10()]);
    expect(seen(r.handle(captured.UDHCPC_REQUEST_RENEWING)).type).toBe(MessageType.ACK);
    r.update({ config: NEUTRON_DHCP_DEFAULTS, networks: [net10({ ports: [{ id: 'port-a', mac_address: MAC, fixed_ips: [{ subnet_id: 'sub-10', ip_address: '10.0.0.8' }] }] })] });
    expect(seen(r.handle(captured.UDHCPC_REQUEST_RENEWING)).type).toBe(MessageType.NAK);
    r.update({ config: NEUTRON_DHCP_DEFAULTS, networks: [net10({ ports: [] })] });
    expect(r.handle(captured.UDHCPC_REQUEST_RENEWING).reply).toBeUndefined();
  });
});

describe('robustness', () => {
  it('drops malformed packets, replies (op 2) and BOOTP without a message type, without throwing', () => {
    const r = responder([net10()]);
    expect(r.handle(Uint8Array.of(1, 2, 3)).event).toMatchObject({ kind: 'ignored', reason: 'malformed packet' });
    const reply = Uint8Array.from(captured.UDHCPC_DISCOVER);
    reply[0] = 2;
    expect(r.handle(reply).reply).toBeUndefined();
    expect(r.handle(clientPacket({ mac: MAC, options: '' })).reply).toBeUndefined();
    const offer = r.handle(captured.UDHCPC_DISCOVER).reply!.bytes;
    expect(r.handle(offer).reply).toBeUndefined();
  });

  it("fits a reply into the client's maximum message size, dropping 249 and then the port's extra options", () => {
    const network = net10();
    network.subnets[0].host_routes = [{ destination: '172.16.0.0/24', nexthop: '10.0.0.1' }];
    network.ports[0].extra_dhcp_opts = [{ opt_name: 'root-path', opt_value: 'x'.repeat(200) }];
    const r = responder([network]);
    const outcome = r.handle(captured.UDHCPC_DISCOVER); // option 57: 576-byte datagrams
    const small = seen(outcome);
    expect(small.length).toBeLessThanOrEqual(576 - 28);
    expect(codes(small)).toEqual([53, 54, 51, 58, 59, 1, 28, 3, 6, 12, 15, 26, 121, 61]);
    expect(outcome.event.reason).toBe("options 249, 17 left out to fit the client's maximum message size");
    const large = seen(r.handle(clientPacket({ mac: MAC, options: opt.type(DHCP.DISCOVER) + '390205dc' }))); // 57: 1500
    expect(large.length).toBeGreaterThan(548);
    expect(codes(large)).toEqual(expect.arrayContaining([121, 249, 17]));
  });

  it('pads every reply to at least 300 bytes and lets long ones grow', () => {
    const network = net10();
    network.ports[0].extra_dhcp_opts = [{ opt_name: 'root-path', opt_value: 'x'.repeat(150) }];
    const r = responder([network]);
    expect(seen(r.handle(captured.DHCLIENT_INIT_REBOOT)).length).toBeGreaterThan(300);
    const nak = r.handle(clientPacket({ mac: MAC, options: opt.type(DHCP.REQUEST) + opt.requestedIp('10.0.0.9') })).reply!;
    expect(nak.bytes.length).toBe(300);
  });
});
