import { describe, expect, it } from 'vitest';
import { diffRouter } from '../core/router-diff.js';
import { compileRouter } from '../core/router-state.js';
import { makeRouter } from '../testing/routers.js';
import { concurrentRun } from './linux-l3-driver.js';

describe('the linux L3 driver: which ops run side by side', () => {
  it('runs a new floating IP address with its ruleset change, then the gratuitous ARP on its own', () => {
    const before = makeRouter({ n: 1, interfaces: 1, fips: 1 });
    const after = makeRouter({ n: 1, interfaces: 1, fips: 2 });
    const ops = diffRouter(compileRouter(before), compileRouter(after));
    expect(ops.map((o) => o.op)).toEqual(['add-address', 'load-ruleset', 'garp']);
    expect(concurrentRun(ops, 0)).toBe(2);
    expect(concurrentRun(ops, 2)).toBe(1);
  });

  it('keeps a new router in order: addresses together, then the gateway route, then the ruleset alone', () => {
    const ops = diffRouter(null, compileRouter(makeRouter({ n: 2, interfaces: 2, fips: 1 })));
    const firstAddress = ops.findIndex((o) => o.op === 'add-address');
    const addresses = ops.filter((o) => o.op === 'add-address').length;
    expect(concurrentRun(ops, firstAddress)).toBe(addresses);
    expect(ops[firstAddress + addresses].op).toBe('replace-route');
    expect(concurrentRun(ops, ops.findIndex((o) => o.op === 'load-ruleset'))).toBe(1);
    expect(concurrentRun(ops, 0)).toBe(1);
  });
});
