/**
 * The iproute2 helpers against the real kernel: needs root and `ip netns`; skipped loudly otherwise. Every namespace
 * made here is deleted in afterAll, and their devices with them.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { addAddress, listAddresses } from './addresses.js';
import { CommandError, failureKind } from './command.js';
import { addBridge, addVethPair, addVlan, addVxlan, deleteLink, getLink, listLinks, setLink } from './links.js';
import {
  addNamespace,
  deleteNamespace,
  ensureNamespace,
  execInNamespace,
  listNamespaces,
  namespaceCommand,
  namespaceExists,
} from './netns.js';
import { ProcessSupervisor } from './process-supervisor.js';
import { kernelSupportsVlan, skipUnlessDataplane, testNamespaceName } from './testing/dataplane-availability.js';

const unavailable = await skipUnlessDataplane('libs/dataplane/dataplane.integration.spec.ts');
const vlan = await kernelSupportsVlan();
if (!unavailable && !vlan) console.warn('SKIPPED the VLAN device test: this kernel has no 802.1Q (CONFIG_VLAN_8021Q)');
const made: string[] = [];

async function namespace(label: string): Promise<string> {
  const name = testNamespaceName(label);
  made.push(name);
  await ensureNamespace(name);
  return name;
}

afterAll(async () => {
  for (const ns of made) await deleteNamespace(ns).catch((err: unknown) => console.error(`cleanup of ${ns} failed`, err));
});

const ping = (ns: string, address: string) => execInNamespace(ns, 'busybox', ['ping', '-c', '1', '-W', '2', address]);

describe.skipIf(unavailable)('namespaces (root)', () => {
  it('adds, lists, finds and deletes a namespace; deleting twice is fine', async () => {
    const name = testNamespaceName('ns');
    made.push(name);
    expect(await namespaceExists(name)).toBe(false);
    await addNamespace(name);
    expect(await listNamespaces()).toContain(name);
    expect(await namespaceExists(name)).toBe(true);
    const again = (await addNamespace(name).catch((e: unknown) => e)) as CommandError;
    expect(again).toBeInstanceOf(CommandError);
    expect(again.command).toContain(name);
    await deleteNamespace(name);
    await deleteNamespace(name);
    expect(await namespaceExists(name)).toBe(false);
  });

  it('ensureNamespace creates once and brings loopback up', async () => {
    const name = testNamespaceName('ens');
    made.push(name);
    expect(await ensureNamespace(name)).toBe(true);
    expect(await ensureNamespace(name)).toBe(false);
    expect((await getLink(name, 'lo'))?.up).toBe(true);
    await ping(name, '127.0.0.1');
  });

  it('runs a program inside the namespace', async () => {
    const ns = await namespace('exec');
    await addVethPair(ns, 'inside0', 'inside1');
    const { stdout } = await execInNamespace(ns, 'cat', ['/proc/net/dev']);
    expect(stdout).toContain('inside0');
    const here = await execInNamespace('', 'cat', ['/proc/net/dev']);
    expect(here.stdout).not.toContain('inside0');
  });
});

describe.skipIf(unavailable)('links (root)', () => {
  it('a veth pair across two namespaces, addressed, carries a ping', async () => {
    const a = await namespace('va');
    const b = await namespace('vb');
    await addVethPair(a, 'tapaaaa', 'eth0', { peerNamespace: b });
    expect((await listLinks(a)).map((l) => l.name)).toContain('tapaaaa');
    expect((await listLinks(b)).map((l) => l.name)).toContain('eth0');
    await addAddress(a, 'tapaaaa', '10.201.0.1/24');
    await addAddress(b, 'eth0', '10.201.0.2/24');
    await addAddress(b, 'eth0', '10.201.0.2/24'); // idempotent
    expect(await listAddresses(b, 'eth0')).toContainEqual({ family: 'inet', cidr: '10.201.0.2/24' });
    await setLink(a, 'tapaaaa', { up: true });
    await setLink(b, 'eth0', { up: true });
    await ping(a, '10.201.0.2');
  });

  it('a bridge with ports: master, mtu and up read back through ip -json', async () => {
    const ns = await namespace('br');
    await addBridge(ns, 'brqtest');
    await addVethPair(ns, 'tap1', 'peer1');
    await setLink(ns, 'tap1', { mtu: 1450, master: 'brqtest', up: true });
    const tap = await getLink(ns, 'tap1');
    expect(tap).toMatchObject({ name: 'tap1', kind: 'veth', master: 'brqtest', mtu: 1450, up: true, parent: 'peer1' });
    expect(await getLink(ns, 'brqtest')).toMatchObject({ kind: 'bridge', master: null });
    await setLink(ns, 'tap1', { master: null });
    expect((await getLink(ns, 'tap1'))?.master).toBeNull();
  });

  it('moves one end of a veth into another namespace', async () => {
    const a = await namespace('mva');
    const b = await namespace('mvb');
    await addVethPair(a, 'qr-x', 'tap-x');
    await setLink(a, 'qr-x', { netns: b });
    expect(await getLink(a, 'qr-x')).toBeNull();
    expect(await getLink(b, 'qr-x')).toMatchObject({ kind: 'veth' });
  });

  it('a vxlan device with its VNI and no learning', async () => {
    const ns = await namespace('vx');
    await addVxlan(ns, 'vxlan-1001', 1001);
    expect(await getLink(ns, 'vxlan-1001')).toMatchObject({ kind: 'vxlan', segmentId: 1001 });
    const { stdout } = await execInNamespace('', 'ip', ['-n', ns, '-d', 'link', 'show', 'dev', 'vxlan-1001']);
    expect(stdout).toMatch(/vxlan id 1001 .*dstport 4789 .*nolearning/s);
    await expect(addVxlan(ns, 'vxlan-x', 0)).rejects.toThrow(/invalid VNI/);
  });

  it.skipIf(!vlan)('a vlan device on its parent', async () => {
    const ns = await namespace('vl');
    await addVethPair(ns, 'eth1', 'wire1');
    await addVlan(ns, 'eth1.101', 'eth1', 101);
    expect(await getLink(ns, 'eth1.101')).toMatchObject({ kind: 'vlan', segmentId: 101, parent: 'eth1' });
  });

  it.runIf(!vlan)('where the kernel has no 802.1Q, adding a vlan device fails as "unsupported"', async () => {
    const ns = await namespace('vl');
    await addVethPair(ns, 'eth1', 'wire1');
    const err = await addVlan(ns, 'eth1.101', 'eth1', 101).catch((e: unknown) => e);
    expect(failureKind(err)).toBe('unsupported');
  });

  it('delete is idempotent; adding an existing device fails as "exists" with the command and stderr', async () => {
    const ns = await namespace('del');
    await addBridge(ns, 'brqdup');
    const err = await addBridge(ns, 'brqdup').catch((e: unknown) => e);
    expect(failureKind(err)).toBe('exists');
    expect((err as CommandError).command.join(' ')).toContain(`-n ${ns} link add name brqdup type bridge`);
    expect((err as CommandError).stderr).toMatch(/File exists/);
    await deleteLink(ns, 'brqdup');
    await deleteLink(ns, 'brqdup');
    expect(await getLink(ns, 'brqdup')).toBeNull();
  });
});

describe.skipIf(unavailable)('ProcessSupervisor in a namespace (root)', () => {
  it('runs the process inside the namespace and restarts it there when killed', async () => {
    const ns = await namespace('sup');
    const [command, args] = namespaceCommand(ns, 'sleep', ['30']);
    const s = new ProcessSupervisor({ name: 'worker', command, args, backoff: { initialMs: 20 } });
    try {
      s.start();
      const where = async (pid: number) => (await execInNamespace('', 'ip', ['netns', 'identify', String(pid)])).stdout.trim();
      const first = s.pid!;
      await vi.waitFor(async () => expect(await where(first)).toBe(ns));
      process.kill(first, 'SIGKILL');
      await vi.waitFor(() => expect(s.pid !== undefined && s.pid !== first).toBe(true));
      await vi.waitFor(async () => expect(await where(s.pid!)).toBe(ns));
    } finally {
      await s.stop();
    }
  });
});
