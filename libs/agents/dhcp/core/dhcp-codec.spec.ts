import { describe, expect, it } from 'vitest';
import { parseDhcp, serializeDhcp } from './dhcp-codec.js';
import { BROADCAST_FLAG, macOf, MessageType, messageTypeOf, Option } from './dhcp-packet.js';
import { DHCLIENT_DISCOVER, UDHCPC_DISCOVER, UDHCPC_REQUEST_RENEWING } from './fixtures/captured-packets.js';
import { clientPacket, opt } from './fixtures/rfc-packets.js';
import { formatIpv4 } from './ipv4.js';

const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);

describe('parseDhcp on real packets', () => {
  it('reads a busybox udhcpc DISCOVER', () => {
    const p = parseDhcp(UDHCPC_DISCOVER)!;
    expect([p.op, p.htype, p.hlen, p.hops, p.xid.toString(16), p.flags]).toEqual([1, 1, 6, 0, 'b0d3d84c', 0]);
    expect(macOf(p)).toBe('fa:16:3e:11:22:33');
    expect(messageTypeOf(p)).toBe(MessageType.DISCOVER);
    expect([...p.options.keys()]).toEqual([53, 57, 55, 60, 61]);
    expect(Buffer.from(p.options.get(60)!).toString()).toBe('udhcp 1.35.0');
    expect(hex(p.options.get(Option.PARAMETER_LIST))).toBe('0103060c0f1c2a');
  });

  it('reads an ISC dhclient DISCOVER (hostname, a longer parameter list, no client id)', () => {
    const p = parseDhcp(DHCLIENT_DISCOVER)!;
    expect([...p.options.keys()]).toEqual([53, 12, 55]);
    expect(Buffer.from(p.options.get(Option.HOSTNAME)!).toString()).toBe('vm');
    expect([...p.options.get(Option.PARAMETER_LIST)!]).toContain(121);
  });

  it('reads ciaddr of a renewal', () => {
    expect(formatIpv4(parseDhcp(UDHCPC_REQUEST_RENEWING)!.ciaddr)).toBe('10.0.0.5');
  });

  it('reads the broadcast flag, giaddr and hops of a relayed packet', () => {
    const p = parseDhcp(clientPacket({ mac: 'fa:16:3e:00:00:01', hops: 1, broadcast: true, giaddr: '192.168.7.1', options: opt.type(1) }))!;
    expect([p.hops, p.flags & BROADCAST_FLAG, formatIpv4(p.giaddr)]).toEqual([1, BROADCAST_FLAG, '192.168.7.1']);
  });
});

describe('parseDhcp on garbage', () => {
  const valid = () => Uint8Array.from(UDHCPC_DISCOVER);

  it('drops short packets, a wrong magic cookie, hlen over 16 and options running past the end', () => {
    expect(parseDhcp(new Uint8Array(0))).toBeUndefined();
    expect(parseDhcp(valid().subarray(0, 239))).toBeUndefined();
    const cookie = valid();
    cookie[239] = 0x64;
    expect(parseDhcp(cookie)).toBeUndefined();
    const hlen = valid();
    hlen[2] = 17;
    expect(parseDhcp(hlen)).toBeUndefined();
    const overrun = clientPacket({ mac: 'fa:16:3e:00:00:01', options: opt.type(1) }).subarray(0, 244);
    overrun[243] = 0x37; // option 55 with its length byte cut off
    expect(parseDhcp(overrun)).toBeUndefined();
    const long = Uint8Array.from([...valid().subarray(0, 240), 53, 1, 1, 55, 40, 1, 2]);
    expect(parseDhcp(long)).toBeUndefined();
  });

  it('never throws on random bytes', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let i = 0; i < 2000; i++) {
      const bytes = i % 2 ? valid() : new Uint8Array(200 + (i % 400));
      for (let j = i % 2 ? 236 : 0; j < bytes.length; j++) if (rand() < 64 || !(i % 2)) bytes[j] = rand();
      expect(() => parseDhcp(bytes)).not.toThrow();
    }
  });
});

describe('options', () => {
  it('concatenates a repeated option (RFC 3396)', () => {
    const p = parseDhcp(clientPacket({ mac: 'fa:16:3e:00:00:01', options: opt.type(1) + '0c026162' + '0c0163' }))!;
    expect(Buffer.from(p.options.get(12)!).toString()).toBe('abc');
  });

  it('reads options from the file and sname fields when option 52 says so', () => {
    const bytes = clientPacket({ mac: 'fa:16:3e:00:00:01', options: opt.type(1) + '340103' });
    bytes.set([12, 2, 0x68, 0x69, 255], 108); // file: hostname "hi"
    bytes.set([15, 1, 0x64, 255], 44); // sname: domain "d"
    const p = parseDhcp(bytes)!;
    expect(Buffer.from(p.options.get(12)!).toString()).toBe('hi');
    expect(Buffer.from(p.options.get(15)!).toString()).toBe('d');
  });

  it('ignores pads and accepts options that fill the datagram without END', () => {
    const p = parseDhcp(Uint8Array.from([...UDHCPC_DISCOVER.subarray(0, 240), 0, 0, 53, 1, 3]))!;
    expect(messageTypeOf(p)).toBe(MessageType.REQUEST);
  });
});

describe('serializeDhcp', () => {
  const base = parseDhcp(UDHCPC_DISCOVER)!;

  it('round-trips the header and options, ends with END and pads to 300 bytes', () => {
    const bytes = serializeDhcp({ ...base, op: 2, yiaddr: 0xc0a80105, options: [[53, Uint8Array.of(2)], [1, Uint8Array.of(255, 255, 255, 0)]] });
    expect(bytes.length).toBe(300);
    expect(hex(bytes.subarray(240, 250))).toBe('350102' + '0104ffffff00' + 'ff');
    const back = parseDhcp(bytes)!;
    expect([back.op, back.xid, formatIpv4(back.yiaddr), macOf(back)]).toEqual([2, base.xid, '192.168.1.5', 'fa:16:3e:11:22:33']);
  });

  it('splits an option longer than 255 bytes into consecutive instances, which parse back whole', () => {
    const value = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const bytes = serializeDhcp({ ...base, options: [[43, value]] });
    expect([bytes[240], bytes[241], bytes[240 + 257], bytes[240 + 258]]).toEqual([43, 255, 43, 45]);
    expect(parseDhcp(bytes)!.options.get(43)).toEqual(value);
  });
});
