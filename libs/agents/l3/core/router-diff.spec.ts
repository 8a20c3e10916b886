/**
 * diffRouter on plain objects: a fresh router, a floating IP associated and dissociated, a port forwarding added,
 * an interface removed, a router deleted: each gives only the operations its change needs, in an order a driver can
 * run. The ruleset part is golden-tested (core/fixtures/diff-*.txt; UPDATE_GOLDEN=1 rewrites them).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { L3RouterInfo } from '../../../rpc/l3-agent.contract.js';
import { makeRouter } from '../testing/routers.js';
import { diffRouter, type RouterOp } from './router-diff.js';
import { compileRouter, type DesiredRouter } from './router-state.js';
import { renderRuleset } from './ruleset.js';

function golden(name: string, text: string): void {
  const path = new URL(`./fixtures/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

const compiled = (router: L3RouterInfo): DesiredRouter => compileRouter(router)!;
const kinds = (ops: RouterOp[]) => ops.map((o) => o.op);
const restoreOf = (ops: RouterOp[]) => ops.flatMap((o) => (o.op === 'load-ruleset' ? [o.restore] : []));

describe('diffRouter', () => {
  it('builds a new router from nothing, in order, with the whole ruleset', () => {
    const desired = compiled(makeRouter({ n: 5, interfaces: 1, fips: 1 }));
    const ops = diffRouter(null, desired);
    expect(kinds(ops)).toEqual([
      'create-namespace',
      'enable-forwarding',
      'plug-device',
      'plug-device',
      'add-address',
      'add-address',
      'add-address',
      'replace-route',
      'load-ruleset',
      'garp',
      'garp',
    ]);
    expect(restoreOf(ops)).toEqual([renderRuleset(desired.ruleset)]);
    expect(ops.filter((o) => o.op === 'garp').map((o) => (o as { address: string }).address)).toEqual(['172.24.0.5', '172.25.0.80']);
  });

  it('gives nothing to do when nothing changed', () => {
    const router = makeRouter({ n: 5, fips: 3 });
    expect(diffRouter(compiled(router), compiled(structuredClone(router)))).toEqual([]);
  });

  it('associates a floating IP with one address, one ruleset change (golden) and one gratuitous ARP', () => {
    const before = makeRouter({ n: 6, fips: 1 });
    const after = makeRouter({ n: 6, fips: 2 });
    const ops = diffRouter(compiled(before), compiled(after));
    expect(ops.map((o) => ('cidr' in o ? `${o.op} ${o.cidr}` : 'address' in o ? `${o.op} ${o.address}` : o.op))).toEqual([
      'add-address 172.25.0.97/32',
      'load-ruleset',
      'garp 172.25.0.97',
    ]);
    golden('diff-add-fip.txt', restoreOf(ops)[0]);
  });

  it('dissociates a floating IP: its rules go first, then its address', () => {
    const ops = diffRouter(compiled(makeRouter({ n: 6, fips: 2 })), compiled(makeRouter({ n: 6, fips: 1 })));
    expect(kinds(ops)).toEqual(['load-ruleset', 'remove-address']);
    expect(restoreOf(ops)[0]).not.toContain('172.25.0.97');
    expect(restoreOf(ops)[0]).not.toMatch(/^:neutron-l3-agent-snat/m);
  });

  it('adds and removes port forwarding chains without touching the others (golden)', () => {
    const before = makeRouter({ n: 6, fips: 1 });
    const after = structuredClone(before);
    after._pf_floatingips = [
      { id: 'a1b2c3d4-0000-4000-8000-000000000001', floatingip_id: 'f', floating_ip_address: '172.25.9.9', protocol: 'tcp', internal_ip_address: '10.0.6.5', internal_port: 22, external_port: 2222 },
    ];
    const added = diffRouter(compiled(before), compiled(after));
    golden('diff-add-pf.txt', restoreOf(added)[0]);
    const removed = restoreOf(diffRouter(compiled(after), compiled(before)))[0];
    expect(removed).toContain('-F neutron-l3-agent-pf-a1b2c3d4\n-X neutron-l3-agent-pf-a1b2c3d4');
    expect(removed.indexOf(':neutron-l3-agent-fip-pf')).toBeLessThan(removed.indexOf('-X neutron-l3-agent-pf-a1b2c3d4'));
  });

  it('removes an interface: its device goes, after the rules', () => {
    const ops = diffRouter(compiled(makeRouter({ n: 2, interfaces: 2 })), compiled(makeRouter({ n: 2, interfaces: 1 })));
    expect(ops).toEqual([expect.objectContaining({ op: 'unplug-device', name: 'qr-00020001-aa', kind: 'internal' })]);
  });

  it('replugs a device whose MAC changed, unplugging first, and restores its route', () => {
    const before = makeRouter({ n: 2 });
    const after = structuredClone(before);
    after.gw_port!.mac_address = 'fa:16:3e:aa:bb:cc';
    const ops = diffRouter(compiled(before), compiled(after));
    expect(kinds(ops)).toEqual(['unplug-device', 'plug-device', 'add-address', 'replace-route', 'garp']);
  });

  it('changes extra routes one by one', () => {
    const before = makeRouter({ n: 2 });
    before.routes = [{ destination: '10.9.0.0/16', nexthop: '10.0.2.254' }];
    const after = structuredClone(before);
    after.routes = [{ destination: '10.8.0.0/16', nexthop: '10.0.2.253' }];
    expect(diffRouter(compiled(before), compiled(after))).toEqual([
      { op: 'delete-route', namespace: `qrouter-${before.id}`, route: { destination: '10.9.0.0/16', via: '10.0.2.254' } },
      { op: 'replace-route', namespace: `qrouter-${before.id}`, route: { destination: '10.8.0.0/16', via: '10.0.2.253' } },
    ]);
  });

  it('turns SNAT off by rewriting the snat chain only', () => {
    const restore = restoreOf(diffRouter(compiled(makeRouter({ n: 2 })), compiled(makeRouter({ n: 2, enable_snat: false }))))[0];
    expect(restore.split('\n').filter((l) => l.startsWith(':'))).toEqual([':neutron-l3-agent-snat - [0:0]']);
  });

  it('deletes the namespace of a router that is gone or down', () => {
    const desired = compiled(makeRouter({ n: 2 }));
    expect(diffRouter(desired, null)).toEqual([{ op: 'delete-namespace', namespace: desired.namespace }]);
    expect(diffRouter(null, null)).toEqual([]);
  });
});
