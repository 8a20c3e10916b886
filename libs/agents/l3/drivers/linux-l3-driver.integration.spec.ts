/**
 * The linux L3 driver against the real kernel (root; skipped loudly otherwise). A host namespace with two bridges
 * stands in for the L2 agent's layout: `brint` (tenant 10.0.1.0/24, two guests plugged as Nova does) and `brext`
 * (172.24.0.0/16, an external host that is also the router's upstream gateway and has no route to the tenant
 * subnet). Only the router's NAT can make the pings below work. Each of them runs busybox httpd with a CGI that
 * prints REMOTE_ADDR, so a request shows the source address the other end saw. Every namespace and process is
 * removed in afterAll.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addBridge,
  deleteNamespace,
  ensureNamespace,
  execInNamespace,
  getLink,
  ip,
  iptablesSave,
  namespaceCommand,
  namespaceExists,
  setLink,
} from '../../../dataplane/index.js';
import { skipUnlessDataplane, testNamespaceName } from '../../../dataplane/testing/dataplane-availability.js';
import { plugNovaGuest } from '../../../dataplane/testing/nova-guest.js';
import { tapDevice } from '../../../rpc/l2-agent.contract.js';
import type { L3RouterInfo } from '../../../rpc/l3-agent.contract.js';
import { diffRouter } from '../core/router-diff.js';
import { compileRouter, type DesiredRouter } from '../core/router-state.js';
import { LinuxL3Driver } from './linux-l3-driver.js';

const unavailable = await skipUnlessDataplane('libs/agents/l3/drivers/linux-l3-driver.integration.spec.ts');

const made: string[] = [];
const host = testNamespaceName('l3h');
const guest1 = testNamespaceName('l3g1');
const guest2 = testNamespaceName('l3g2');
const ext = testNamespaceName('l3x');
const routerId = randomUUID();
const intPort = randomUUID();
const gwPort = randomUUID();
const FIP = '172.24.0.50';
const PF_FIP = '172.24.0.60';
const GW_IP = '172.24.0.7';
const EXT_IP = '172.24.0.1';
const servers: ChildProcess[] = [];
const www = mkdtempSync(join(tmpdir(), 'l3-www-'));

function router(fip: boolean): L3RouterInfo {
  return {
    id: routerId,
    name: 'r1',
    admin_state_up: true,
    status: 'ACTIVE',
    project_id: 'p',
    enable_snat: true,
    routes: [],
    gw_port: {
      id: gwPort,
      network_id: 'ext',
      mac_address: 'fa:16:3e:00:00:07',
      fixed_ips: [{ subnet_id: 'ext-sub', ip_address: GW_IP }],
      subnets: [{ id: 'ext-sub', cidr: '172.24.0.0/16', gateway_ip: '172.24.0.1' }],
    },
    external_gateway_info: { network_id: 'ext', enable_snat: true, external_fixed_ips: [{ subnet_id: 'ext-sub', ip_address: GW_IP }] },
    _interfaces: [
      {
        id: intPort,
        network_id: 'int',
        mac_address: 'fa:16:3e:00:01:01',
        fixed_ips: [{ subnet_id: 'int-sub', ip_address: '10.0.1.1' }],
        subnets: [{ id: 'int-sub', cidr: '10.0.1.0/24', gateway_ip: '10.0.1.1' }],
      },
    ],
    _floatingips: fip ? [{ id: 'fip1', floating_ip_address: FIP, fixed_ip_address: '10.0.1.10', port_id: 'vm1', status: 'DOWN' }] : [],
    _pf_floatingips: [
      { id: 'pf1-0000-4000', floatingip_id: 'fip2', floating_ip_address: PF_FIP, protocol: 'tcp', internal_ip_address: '10.0.1.11', internal_port: 80, external_port: 2222 },
    ],
  };
}

/** busybox httpd in `ns` on `port`, serving the CGI that prints REMOTE_ADDR. */
function serve(ns: string, port: number): void {
  const [file, args] = namespaceCommand(ns, 'busybox', ['httpd', '-f', '-p', String(port), '-h', www]);
  servers.push(spawn(file, args, { stdio: 'ignore' }));
}

/** What the server at `url` saw as the client's address (busybox wget), or null when it cannot be reached. */
async function remoteAddr(from: string, url: string): Promise<string | null> {
  for (let i = 0; i < 3; i++) {
    try {
      // busybox timeout, not wget -T (this busybox's wget crashes with it); httpd gives REMOTE_ADDR as [::ffff:a.b.c.d]
      const { stdout } = await execInNamespace(from, 'busybox', ['timeout', '3', 'busybox', 'wget', '-q', '-O', '-', url]);
      return /(\d+\.\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? stdout.trim();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return null;
}

/** busybox ping, a few tries (the first packets wait for ARP and bridge learning). */
async function reaches(from: string, address: string, tries = 3): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    try {
      await execInNamespace(from, 'busybox', ['ping', '-c', '1', '-W', '1', address]);
      return true;
    } catch {
      // again
    }
  }
  return false;
}

describe.skipIf(unavailable)('LinuxL3Driver (root)', () => {
  const driver = new LinuxL3Driver({ hostNamespace: host });
  let current: DesiredRouter | null = null;

  async function apply(fip: boolean): Promise<void> {
    const desired = compileRouter(router(fip));
    await driver.apply(routerId, diffRouter(current, desired));
    current = desired;
  }

  beforeAll(async () => {
    made.push(host, guest1, guest2, ext);
    mkdirSync(join(www, 'cgi-bin'));
    writeFileSync(join(www, 'cgi-bin', 'addr'), '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n%s\\n" "$REMOTE_ADDR"\n');
    chmodSync(join(www, 'cgi-bin', 'addr'), 0o755);
    await ensureNamespace(host);
    for (const bridge of ['brint', 'brext']) {
      await addBridge(host, bridge);
      await setLink(host, bridge, { up: true });
    }
    const plug = async (tap: string, ns: string, address: string, bridge: string) => {
      await plugNovaGuest(host, tap, ns, address);
      await setLink(host, tap, { master: bridge, up: true });
    };
    await plug('tapg1', guest1, '10.0.1.10/24', 'brint');
    await plug('tapg2', guest2, '10.0.1.11/24', 'brint');
    await plug('tapx', ext, '172.24.0.1/16', 'brext');
    for (const ns of [guest1, guest2]) await ip(ns, ['route', 'add', 'default', 'via', '10.0.1.1']);
    for (const ns of [guest1, guest2, ext]) serve(ns, 80);
    await driver.start();
    await apply(true);
    // what the L2 agent does for router ports bound to its host
    await setLink(host, tapDevice(intPort), { master: 'brint', up: true });
    await setLink(host, tapDevice(gwPort), { master: 'brext', up: true });
  });

  afterAll(async () => {
    for (const server of servers) server.kill();
    rmSync(www, { recursive: true, force: true });
    await deleteNamespace(`qrouter-${routerId}`).catch(() => undefined);
    for (const ns of made) await deleteNamespace(ns).catch((err: unknown) => console.error(`cleanup of ${ns} failed`, err));
  });

  it('builds qrouter-<id> with qr-/qg- devices, addresses, the default route and the ruleset', async () => {
    const ns = `qrouter-${routerId}`;
    expect(await namespaceExists(ns)).toBe(true);
    expect((await getLink(ns, `qg-${gwPort.slice(0, 11)}`))?.address).toBe('fa:16:3e:00:00:07');
    const addresses = (await ip(ns, ['-4', 'addr', 'show'])).stdout;
    expect(addresses).toContain('10.0.1.1/24');
    expect(addresses).toContain(`${GW_IP}/16`);
    expect(addresses).toContain(`${FIP}/32`);
    expect((await ip(ns, ['route', 'show', 'default'])).stdout).toContain('via 172.24.0.1');
    const nat = await iptablesSave(ns, 'nat');
    expect(nat).toContain(`-A neutron-l3-agent-PREROUTING -d ${FIP}/32 -j DNAT --to-destination 10.0.1.10`);
    expect(nat).toContain(`-A neutron-l3-agent-snat -o qg-${gwPort.slice(0, 11)} -j SNAT --to-source ${GW_IP}`);
  });

  it('SNATs a guest without a floating IP to the gateway address, one with a floating IP to it', async () => {
    expect(await remoteAddr(guest2, `http://${EXT_IP}/cgi-bin/addr`)).toBe(GW_IP);
    expect(await remoteAddr(guest1, `http://${EXT_IP}/cgi-bin/addr`)).toBe(FIP);
  });

  it('reaches a guest on its floating IP from outside (DNAT), and from the other guest (hairpin)', async () => {
    expect(await remoteAddr(ext, `http://${FIP}/cgi-bin/addr`)).toBe(EXT_IP);
    expect(await reaches(ext, FIP)).toBe(true);
    // hairpin: SNAT to the gateway address, so the reply comes back through the router to be un-DNATed
    expect(await remoteAddr(guest2, `http://${FIP}/cgi-bin/addr`)).toBe(GW_IP);
  });

  it('forwards a port of a floating IP to a guest', async () => {
    expect(await remoteAddr(ext, `http://${PF_FIP}:2222/cgi-bin/addr`)).toBe(EXT_IP);
  });

  it('stops the floating IP at once when it is dissociated, by diff (no duplicate jumps)', async () => {
    await apply(false);
    expect(await reaches(ext, FIP, 1)).toBe(false);
    await apply(true);
    expect(await reaches(ext, FIP)).toBe(true);
    const nat = await iptablesSave(`qrouter-${routerId}`, 'nat');
    expect(nat.split('\n').filter((l) => l === '-A PREROUTING -j neutron-l3-agent-PREROUTING')).toHaveLength(1);
  });

  it('takes a router over after a restart: rebuilt at the resync, traffic works again', async () => {
    const restarted = new LinuxL3Driver({ hostNamespace: host });
    await restarted.start();
    await restarted.apply(routerId, diffRouter(null, current));
    await setLink(host, tapDevice(intPort), { master: 'brint', up: true });
    await setLink(host, tapDevice(gwPort), { master: 'brext', up: true });
    expect(await remoteAddr(ext, `http://${FIP}/cgi-bin/addr`)).toBe(EXT_IP);
    expect(await remoteAddr(guest2, `http://${EXT_IP}/cgi-bin/addr`)).toBe(GW_IP);
    const nat = await iptablesSave(`qrouter-${routerId}`, 'nat');
    expect(nat.split('\n').filter((l) => l === '-A POSTROUTING -j neutron-postrouting-bottom')).toHaveLength(1);
  });

  it('deletes the namespace and its taps with the router', async () => {
    await driver.apply(routerId, diffRouter(current, null));
    current = null;
    expect(await namespaceExists(`qrouter-${routerId}`)).toBe(false);
    expect(await getLink(host, tapDevice(intPort))).toBeNull();
    expect(await reaches(guest2, '172.24.0.1', 1)).toBe(false);
  });

  it('removes at cleanup a router namespace it owns that no router needs', async () => {
    const desired = compileRouter({ ...router(false), id: randomUUID(), _interfaces: [], gw_port: { ...router(false).gw_port!, id: randomUUID() } })!;
    made.push(desired.namespace);
    await driver.apply(desired.id, diffRouter(null, desired));
    await driver.cleanup(new Set());
    expect(await namespaceExists(desired.namespace)).toBe(false);
  });

  it('with cleanup_on_stop, stop removes the router namespaces it built; without, they stay', async () => {
    const build = async (d: LinuxL3Driver) => {
      const desired = compileRouter({ ...router(false), id: randomUUID(), _interfaces: [], gw_port: { ...router(false).gw_port!, id: randomUUID() } })!;
      made.push(desired.namespace);
      await d.apply(desired.id, diffRouter(null, desired));
      return desired.namespace;
    };
    const keeping = new LinuxL3Driver({ hostNamespace: host });
    await keeping.start();
    const kept = await build(keeping);
    await keeping.stop();
    expect(await namespaceExists(kept)).toBe(true);

    const cleaning = new LinuxL3Driver({ hostNamespace: host, cleanupOnStop: true });
    await cleaning.start();
    const removed = await build(cleaning);
    await cleaning.stop();
    expect(await namespaceExists(removed)).toBe(false);
  });
});

