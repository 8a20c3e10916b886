/**
 * The simulated driver runs the core's operations on an in-memory namespace (with an iptables-restore --noflush
 * model): after any sequence of changes, applying only the diffs leaves exactly the desired state, the ruleset
 * included, as building the last state from nothing would.
 */
import { describe, expect, it } from 'vitest';
import type { L3RouterInfo } from '../../../rpc/l3-agent.contract.js';
import { diffRouter } from '../core/router-diff.js';
import { compileRouter, type DesiredRouter } from '../core/router-state.js';
import { makeRouter } from '../testing/routers.js';
import { IptablesModel } from './iptables-model.js';
import { SimulatedL3Driver, type SimulatedNamespace } from './simulated-l3-driver.js';

function snapshot(ns: SimulatedNamespace) {
  return {
    namespace: ns.name,
    forwarding: ns.forwarding,
    devices: [...ns.devices.values()].map((d) => ({ ...d.device, addresses: [...d.addresses].sort() })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    routes: [...ns.routes.values()].sort((a, b) => (a.destination < b.destination ? -1 : 1)),
    ruleset: ns.iptables.ruleset(),
  };
}

function expected(desired: DesiredRouter) {
  return {
    namespace: desired.namespace,
    forwarding: true,
    devices: desired.devices,
    routes: [...desired.routes].sort((a, b) => (a.destination < b.destination ? -1 : 1)),
    ruleset: desired.ruleset,
  };
}

/** A deterministic walk through router shapes: floating IPs, interfaces, SNAT, routes, port forwardings, gateway. */
function variant(step: number): L3RouterInfo {
  const router = makeRouter({ n: 42, interfaces: 1 + (step % 3), fips: (step * 7) % 5, enable_snat: step % 4 !== 1, gateway: step % 6 !== 5 });
  if (step % 2) router.routes = [{ destination: `10.${50 + (step % 3)}.0.0/16`, nexthop: '10.0.42.254' }];
  if (step % 3 === 0) {
    router._pf_floatingips = [
      { id: `${step}0000000-pf`, floatingip_id: 'f', floating_ip_address: '172.25.99.1', protocol: 'tcp', internal_ip_address: '10.0.42.5', internal_port: 22, external_port: 2000 + step },
    ];
  }
  return router;
}

describe('SimulatedL3Driver', () => {
  it('holds exactly the desired state after each diff of a long walk of changes', async () => {
    const driver = new SimulatedL3Driver();
    let current: DesiredRouter | null = null;
    for (let step = 0; step < 40; step++) {
      const desired = compileRouter(variant(step))!;
      await driver.apply(desired.id, diffRouter(current, desired));
      expect(snapshot(driver.namespace(desired.id)!), `step ${step}`).toEqual(expected(desired));
      current = desired;
    }
  });

  it('removes a deleted router and cleans up routers not kept', async () => {
    const driver = new SimulatedL3Driver();
    const a = compileRouter(makeRouter({ n: 1 }))!;
    const b = compileRouter(makeRouter({ n: 2 }))!;
    await driver.apply(a.id, diffRouter(null, a));
    await driver.apply(b.id, diffRouter(null, b));
    await driver.apply(a.id, diffRouter(a, null));
    expect(driver.routers()).toEqual([b.id]);
    await driver.cleanup(new Set());
    expect(driver.routers()).toEqual([]);
  });

  it('fails an operation on a namespace that is not there', async () => {
    const driver = new SimulatedL3Driver();
    const a = compileRouter(makeRouter({ n: 1 }))!;
    await expect(driver.apply(a.id, diffRouter(a, compileRouter(makeRouter({ n: 1, fips: 1 }))))).rejects.toThrow(/does not exist/);
  });
});

describe('IptablesModel', () => {
  it('rejects a jump to a chain that does not exist, changing nothing of that table', () => {
    const model = new IptablesModel();
    model.restore('*nat\n:neutron-a - [0:0]\n-A PREROUTING -j neutron-a\nCOMMIT\n');
    expect(() => model.restore('*nat\n:neutron-a - [0:0]\n-A neutron-a -j neutron-b\nCOMMIT\n')).toThrow(/no chain neutron-b/);
    expect(model.rules('nat')).toEqual(['-A PREROUTING -j neutron-a']);
  });

  it('refuses to remove a chain that is still referenced', () => {
    const model = new IptablesModel();
    model.restore('*nat\n:neutron-a - [0:0]\n-A PREROUTING -j neutron-a\nCOMMIT\n');
    expect(() => model.restore('*nat\n-X neutron-a\nCOMMIT\n')).toThrow(/referenced/);
  });
});
