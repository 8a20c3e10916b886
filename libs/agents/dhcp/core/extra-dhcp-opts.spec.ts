import { describe, expect, it } from 'vitest';
import { encodeExtraDhcpOpt, type EncodedExtraOpt } from './extra-dhcp-opts.js';

const enc = (opt_name: string, opt_value: string | null, ip_version?: number) => encodeExtraDhcpOpt({ opt_name, opt_value, ip_version });
const asHex = (e: EncodedExtraOpt) => (e.kind === 'option' ? [e.code, Buffer.from(e.value).toString('hex')] : e);

describe("extra_dhcp_opts in Neutron's (dnsmasq's) format", () => {
  it('encodes named options by their type', () => {
    expect(asHex(enc('router', '192.168.0.254'))).toEqual([3, 'c0a800fe']);
    expect(asHex(enc('dns-server', '8.8.8.8, 1.1.1.1'))).toEqual([6, '0808080801010101']);
    expect(asHex(enc('domain-name', 'example.org'))).toEqual([15, Buffer.from('example.org').toString('hex')]);
    expect(asHex(enc('mtu', '9000'))).toEqual([26, '2328']);
    expect(asHex(enc('tftp-server', '10.0.0.9'))).toEqual([66, Buffer.from('10.0.0.9').toString('hex')]);
    expect(asHex(enc('bootfile-name', 'pxelinux.0'))).toEqual([67, Buffer.from('pxelinux.0').toString('hex')]);
    expect(asHex(enc('T1', '1h'))).toEqual([58, '00000e10']);
    expect(asHex(enc('lease-time', 'infinite'))).toEqual([51, 'ffffffff']);
    expect(asHex(enc('classless-static-route', '10.1.0.0/16,10.0.0.254,0.0.0.0/0,10.0.0.1'))).toEqual([121, '100a010a0000fe' + '000a000001']);
    expect(asHex(enc('domain-search', 'a.org'))).toEqual([119, '0161036f726700']);
  });

  it("sets siaddr for dnsmasq's server-ip-address", () => {
    expect(enc('server-ip-address', '192.168.0.10')).toEqual({ kind: 'siaddr', address: 0xc0a8000a });
  });

  it('takes numbers as option codes, guessing the value type as dnsmasq does', () => {
    expect(asHex(enc('150', '10.0.0.9'))).toEqual([150, '0a000009']);
    expect(asHex(enc('26', '1400'))).toEqual([26, '0578']);
    expect(asHex(enc('224', '7'))).toEqual([224, '07']);
    expect(asHex(enc('224', '70000'))).toEqual([224, '00011170']);
    expect(asHex(enc('224', '01:02:ff'))).toEqual([224, '0102ff']);
    expect(asHex(enc('224', 'hello'))).toEqual([224, '68656c6c6f']);
  });

  it("accepts dnsmasq's tag: and option: prefixes", () => {
    expect(asHex(enc('tag:ipxe,bootfile-name', 'boot.ipxe'))).toEqual([67, Buffer.from('boot.ipxe').toString('hex')]);
    expect(asHex(enc('option:router', '10.0.0.254'))).toEqual([3, '0a0000fe']);
  });

  it('suppresses router and classless-static-route when blank (the two names Neutron lets be blank)', () => {
    expect(enc('router', '')).toEqual({ kind: 'suppress', code: 3 });
    expect(enc('classless-static-route', null)).toEqual({ kind: 'suppress', code: 121 });
    expect(enc('dns-server', '').kind).toBe('skipped');
  });

  it('skips IPv6 options, client-id, protocol options, unknown names and values that do not fit', () => {
    for (const e of [
      enc('dns-server', '2001:db8::1', 6),
      enc('client-id', 'abc'),
      enc('61', 'abc'),
      enc('54', '10.0.0.1'),
      enc('no-such-option', 'x'),
      enc('300', 'x'),
      enc('router', 'not-an-ip'),
      enc('mtu', '70000'),
      enc('server-ip-address', '10.0.0.1,10.0.0.2'),
    ]) {
      expect(e.kind).toBe('skipped');
    }
  });
});
