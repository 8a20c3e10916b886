/**
 * The L3 core on plain objects: names, addresses, routes, statuses, and the rendered ruleset against golden files
 * (core/fixtures/*.txt, `iptables-restore` input as a fresh namespace gets it). UPDATE_GOLDEN=1 rewrites them;
 * read the diff before committing one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { L3RouterInfo } from '../../../rpc/l3-agent.contract.js';
import { makeRouter } from '../testing/routers.js';
import { compileAll, compileRouter, type DesiredRouter } from './router-state.js';
import { renderRuleset } from './ruleset.js';

function golden(name: string, text: string): void {
  const path = new URL(`./fixtures/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

/** Two interfaces, a gateway, two floating IPs, a TCP and a UDP range port forwarding, an extra route. */
function fullRouter(): L3RouterInfo {
  const router = makeRouter({ n: 7, interfaces: 2, fips: 2 });
  router.routes = [{ destination: '10.9.0.0/16', nexthop: '10.0.7.254' }];
  router._pf_floatingips = [
    { id: 'a1b2c3d4-0000-4000-8000-000000000001', floatingip_id: 'f', floating_ip_address: '172.25.9.9', protocol: 'tcp', internal_ip_address: '10.0.7.5', internal_port: 22, external_port: 2222 },
    { id: 'b1b2c3d4-0000-4000-8000-000000000002', floatingip_id: 'f', floating_ip_address: '172.25.9.9', protocol: 'udp', internal_ip_address: '10.0.7.6', internal_port: '5000:5010', external_port: '6000:6010' },
  ];
  return router;
}

const compiled = (router: L3RouterInfo): DesiredRouter => {
  const desired = compileRouter(router);
  if (!desired) throw new Error('expected a router');
  return desired;
};

describe('compileRouter', () => {
  it('names the namespace and devices as Neutron does, with addresses in CIDR form and MACs', () => {
    const router = fullRouter();
    const desired = compiled(router);
    expect(desired.namespace).toBe(`qrouter-${router.id}`);
    expect(desired.forwarding).toBe(true);
    expect(desired.devices.map((d) => [d.name, d.kind, d.mac_address, d.addresses])).toEqual([
      ['qg-0007ffff-bb', 'gateway', 'fa:16:3e:ff:00:07', ['172.24.0.7/16', '172.25.0.112/32', '172.25.0.113/32', '172.25.9.9/32']],
      ['qr-00070000-aa', 'internal', 'fa:16:3e:00:07:00', ['10.0.7.1/24']],
      ['qr-00070001-aa', 'internal', 'fa:16:3e:00:07:01', ['10.1.7.1/24']],
    ]);
  });

  it('routes by default through the external subnet gateway, then the extra routes', () => {
    expect(compiled(fullRouter()).routes).toEqual([
      { destination: '0.0.0.0/0', via: '172.24.0.1', device: 'qg-0007ffff-bb' },
      { destination: '10.9.0.0/16', via: '10.0.7.254' },
    ]);
  });

  it('renders the NAT ruleset in neutron-l3-agent chain layout (golden)', () => {
    golden('router-full.txt', renderRuleset(compiled(fullRouter()).ruleset));
  });

  it('keeps floating IPs and the hairpin SNAT but no gateway SNAT when enable_snat is false (golden)', () => {
    const router = makeRouter({ n: 8, fips: 1, enable_snat: false });
    const text = renderRuleset(compiled(router).ruleset);
    expect(text).not.toContain('-o qg-0008ffff-bb -j SNAT');
    expect(text).toContain('-d 172.25.0.128/32 -j DNAT --to-destination 10.0.8.10');
    golden('router-no-snat.txt', text);
  });

  it('builds an internal-only router without NAT; its floating IPs are in error (golden)', () => {
    const router = makeRouter({ n: 9, interfaces: 1, fips: 1, gateway: false });
    const desired = compiled(router);
    expect(desired.devices.map((d) => d.name)).toEqual(['qr-00090000-aa']);
    expect(desired.routes).toEqual([]);
    expect(desired.floating_ips).toEqual([]);
    expect(Object.values(desired.fip_statuses)).toEqual(['ERROR']);
    golden('router-internal-only.txt', renderRuleset(desired.ruleset));
  });

  it('reports every served floating IP ACTIVE', () => {
    const desired = compiled(makeRouter({ n: 3, fips: 3 }));
    expect(Object.values(desired.fip_statuses)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
    expect(desired.floating_ips.map((f) => f.fixed_ip_address)).toEqual(['10.0.3.10', '10.0.3.11', '10.0.3.12']);
  });

  it('takes a router without interfaces, floating IPs or routes in the payload (keys left out)', () => {
    const { _interfaces: _i, _floatingips: _f, routes: _r, ...bare } = makeRouter({ n: 11 });
    const desired = compiled(bare as unknown as L3RouterInfo);
    expect(desired.devices.map((d) => d.kind)).toEqual(['gateway']);
    expect(desired.fip_statuses).toEqual({});
  });

  it('does not build a router that is administratively down', () => {
    expect(compileRouter({ ...makeRouter(), admin_state_up: false })).toBeNull();
  });

  it('takes the prefix from fixed_ips[].prefixlen when the subnet is not listed', () => {
    const router = makeRouter({ n: 4 });
    router._interfaces[0].subnets = [];
    router._interfaces[0].fixed_ips[0].prefixlen = 26;
    expect(compiled(router).devices.find((d) => d.kind === 'internal')?.addresses).toEqual(['10.0.4.1/26']);
  });

  it('cuts a port forwarding chain name to what fits after the wrap prefix', () => {
    const text = renderRuleset(compiled(fullRouter()).ruleset);
    for (const line of text.split('\n').filter((l) => l.startsWith(':'))) {
      expect(line.slice(1).split(' ')[0].length).toBeLessThanOrEqual(28);
    }
    expect(text).toContain(':neutron-l3-agent-pf-a1b2c3d4 - [0:0]');
  });
});

describe('compileAll', () => {
  it('compiles 1,000 routers of 10 floating IPs each, one result per router', () => {
    const routers = Array.from({ length: 1000 }, (_, n) => makeRouter({ n: n + 1, fips: 10 }));
    const all = compileAll(routers);
    expect(all.size).toBe(1000);
    let rules = 0;
    for (const desired of all.values()) {
      expect(desired?.floating_ips).toHaveLength(10);
      rules += desired!.ruleset.nat.chains['neutron-l3-agent-float-snat'].length;
    }
    expect(rules).toBe(10_000);
  });

  it('gives a router the same state whether compiled alone or among others', () => {
    const routers = [makeRouter({ n: 1, fips: 2 }), makeRouter({ n: 2, fips: 1 })];
    expect(compileAll(routers).get(routers[1].id)).toEqual(compileRouter(routers[1]));
  });
});
