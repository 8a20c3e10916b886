/**
 * Every writable attribute of every registered resource, given a value of the wrong JSON type (or out of any
 * column's range), on create and on update, and every filterable attribute given an out-of-range or non-numeric
 * value: the answer is a Neutron 4xx or a success that stores what was sent, never a 500 and never an object or a
 * list turned into text. A new resource must give its base body below, or this spec fails.
 */
import { describe, expect, it } from 'vitest';
import { type CoreHarness, type Json, useCoreHarness } from '../../test/support/core-harness.js';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { SPEC_DIALECTS } from '../db/testing/scratch-database.js';

const WRONG_VALUES: unknown[] = [{ id: 1 }, [1, 'a'], [], 1.5, true, 1e20, -1, 2 ** 31, 2 ** 53 + 2, '', 'x'.repeat(300), null];
const WRONG_FILTERS = ['99999999999999999999', '2147483648', '-9223372036854775809', 'abc', '1.5', ''];

/** A valid create body per collection, built on shared fixtures; the attribute under test is set on top of it. */
type BaseBodies = Record<string, () => Json>;

async function fixtures(h: CoreHarness): Promise<BaseBodies> {
  const net = await h.create('networks', { name: 'bad-input' });
  // Ports on a network of their own: the subnet walk leaves `net` with a subnet whose pools it changed.
  const portNet = await h.create('networks', { name: 'bad-input-ports' });
  const ext = await h.create('networks', { name: 'bad-input-ext', 'router:external': true });
  await h.create('subnets', { network_id: ext.id, ip_version: 4, cidr: '172.30.0.0/24' });
  const sg = await h.create('security-groups', { name: 'bad-input' });
  const label = await h.create('metering/metering-labels', { name: 'bad-input' });
  // a rule's prefix may not overlap its label's other rules: each body gets its own
  let rules = 0;
  const rule = () => ({ metering_label_id: label.id, direction: 'ingress', remote_ip_prefix: `10.78.${rules++ % 256}.0/24` });
  return {
    networks: () => ({ name: 'n' }),
    subnets: () => ({ network_id: net.id, ip_version: 4, cidr: '10.77.0.0/24' }),
    subnetpools: () => ({ name: 'p', prefixes: ['10.200.0.0/16'] }),
    ports: () => ({ network_id: portNet.id }),
    'security-groups': () => ({ name: 'g' }),
    'security-group-rules': () => ({ security_group_id: sg.id, direction: 'ingress', protocol: 'tcp', port_range_min: 7, port_range_max: 7 }),
    segments: () => ({ network_id: net.id, network_type: 'vlan', physical_network: 'physnet1' }),
    routers: () => ({ name: 'r' }),
    floatingips: () => ({ floating_network_id: ext.id }),
    'metering/metering-labels': () => ({ name: 'm' }),
    'metering-labels': () => ({ name: 'm' }),
    'metering/metering-label-rules': rule,
    'metering-label-rules': rule,
  };
}

/** The in-process call rethrows what the HTTP layer would turn into a logged 500: count it as one. */
async function send(h: CoreHarness, method: string, path: string, opts: Parameters<CoreHarness['call']>[2]): Promise<{ status: number; body: Json }> {
  try {
    return await h.call(method, path, opts);
  } catch (e) {
    return { status: 500, body: String(e) };
  }
}

function describeValue(v: unknown): string {
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** What is wrong with the answer, if anything. */
function problem(res: { status: number; body: Json }, resource: string, attr: string, value: unknown): string | undefined {
  if (res.status >= 500) return `${res.status} ${JSON.stringify(res.body)}`;
  if (res.status >= 400) return res.body?.NeutronError ? undefined : `a ${res.status} without a NeutronError body`;
  const stored = res.body?.[resource]?.[attr];
  if (value !== null && typeof value === 'object' && typeof stored === 'string') return `stored as text: ${stored}`;
  return undefined;
}

describe.each(SPEC_DIALECTS)('bad input on every attribute (%s)', (dialect) => {
  const harness = useCoreHarness(`bad_input_${dialect}`, [], dialect);

  it('answers a wrong type or an out-of-range number on create and update with a 4xx, never a 500', async () => {
    const h = harness();
    const bases = await fixtures(h);
    const registry = h.app.get(ResourceRegistry);
    const failures: string[] = [];
    let tried = 0;
    for (const def of registry.allResources()) {
      const writable = Object.entries(def.attributes).filter(([, s]) => s.allowPost || s.allowPut);
      if (writable.length === 0) continue;
      const base = bases[def.path];
      if (!def.attributes.id?.allowPost && writable.some(([, s]) => s.allowPost) && !base) {
        failures.push(`${def.path}: no base body in this spec`);
        continue;
      }
      // An item to update (resources without a base, as agents, have none here: their PUT is walked by their e2e).
      const item = base ? await h.create(def.path, base()) : undefined;
      for (const [attr, spec] of writable) {
        for (const value of WRONG_VALUES) {
          if (spec.allowPost && base) {
            const res = await send(h, 'POST', def.path, { body: { [def.name]: { ...base(), [attr]: value } } });
            tried++;
            const p = problem(res, def.name, attr, value);
            if (p) failures.push(`POST ${def.path} ${attr}=${describeValue(value)}: ${p}`);
            if (res.status === 201) await h.call('DELETE', `${def.path}/${res.body[def.name].id}`);
          }
          if (spec.allowPut && item) {
            const res = await send(h, 'PUT', `${def.path}/${item.id}`, { body: { [def.name]: { [attr]: value } } });
            tried++;
            const p = problem(res, def.name, attr, value);
            if (p) failures.push(`PUT ${def.path} ${attr}=${describeValue(value)}: ${p}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(1500);
  }, 120_000);

  it('answers every filter with a number out of range or not a number without a 500', async () => {
    const h = harness();
    const registry = h.app.get(ResourceRegistry);
    const failures: string[] = [];
    for (const def of registry.allResources()) {
      for (const [attr, spec] of Object.entries(def.attributes)) {
        if (!spec.isFilter) continue;
        for (const value of WRONG_FILTERS) {
          const res = await send(h, 'GET', def.path, { query: { [attr]: value } });
          if (res.status >= 500) failures.push(`GET ${def.path}?${attr}=${value}: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
      const limit = await h.call('GET', def.path, { query: { limit: '99999999999999999999' } });
      if (limit.status !== 400) failures.push(`GET ${def.path}?limit=99999999999999999999: ${limit.status}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
