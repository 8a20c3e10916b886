/**
 * The built appliance with `dataplane.driver: linux` (root; skipped loudly otherwise): networks, subnets and ports
 * made with the real `openstack` CLI, guests plugged the way Nova/os-vif does (a veth pair: `tap<port[:11]>` in the
 * appliance's host namespace, `eth0` in the guest's namespace), and real clients: busybox `udhcpc` and ISC `dhclient`
 * with scripts that only record what they got (and, for udhcpc, set the address) — never /etc/resolv.conf.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteNamespace, execInNamespace, listNamespaces, runCommand } from '../../libs/dataplane/index.js';
import { skipUnlessDataplane, testNamespaceName } from '../../libs/dataplane/testing/dataplane-availability.js';
import { type Appliance, startAppliance } from './support/appliance.js';
import { cliFor } from './support/cli.js';
import { adminCredentials, apiClient, type ApiClient, issueToken, type Json } from './support/http.js';
import { expectGuestLinkUp, plugGuest as plugGuestInto } from './support/guests.js';
import { once } from './support/suite.js';
import { eventually } from './support/wait.js';

const unavailable = await skipUnlessDataplane('test/e2e/dataplane-dhcp.e2e.ts');
const HOST = 'dp-dhcp-node';
const LEASE = 600;

/** busybox udhcpc's script: records every event's variables, and sets the address on `bound`/`renew` like a guest. */
const UDHCPC_SCRIPT = (out: string) => `#!/bin/sh
echo "$1 ip=$ip subnet=$subnet router=$router dns=$dns domain=$domain mtu=$mtu lease=$lease serverid=$serverid" >> ${out}
case "$1" in
  deconfig) busybox ip -4 addr flush dev "$interface" ;;
  bound|renew) busybox ip -4 addr flush dev "$interface"; busybox ifconfig "$interface" "$ip" netmask "$subnet" up ;;
esac
`;

/** dhclient's script: records the options it was given, configures nothing (no resolv.conf either). */
const DHCLIENT_SCRIPT = (out: string) => `#!/bin/sh
echo "$reason ip=$new_ip_address mask=$new_subnet_mask routers=$new_routers dns=$new_domain_name_servers domain=$new_domain_name mtu=$new_interface_mtu lease=$new_dhcp_lease_time" >> ${out}
exit 0
`;

const parse = (line: string) => Object.fromEntries(line.split(' ').slice(1).map((kv) => kv.split('=') as [string, string]));

describe.skipIf(unavailable)('DHCP agent, linux dataplane (root)', () => {
  const hostNs = testNamespaceName('dhcphost');
  const guests: string[] = [];
  const background: ChildProcess[] = [];
  const networks: string[] = [];
  let dir: string;
  let app: Appliance;
  let api: ApiClient;
  const cli = () => cliFor(app);

  /** The first network and port go through the CLI; the rest through the API (the CLI costs ~1 s a command). */
  async function createNetwork(name: string, cidr: string, viaCli = false): Promise<Json> {
    let net: Json;
    if (viaCli) {
      net = (await cli().openstack(['network', 'create', name, '-f', 'json'])) as Json;
      await cli().openstack([
        'subnet', 'create', '--network', net.id, '--subnet-range', cidr, '--dns-nameserver', '10.61.0.53', `${name}-sub`, '-f', 'json',
      ]);
    } else {
      net = (await api.post('/v2.0/networks', { network: { name } })).body.network;
      const subnet = { network_id: net.id, cidr, ip_version: 4, dns_nameservers: ['10.61.0.53'] };
      expect((await api.post('/v2.0/subnets', { subnet })).status).toBe(201);
    }
    networks.push(net.id);
    return net;
  }

  async function createPort(net: Json, mac: string, ip?: string, viaCli = false): Promise<Json> {
    if (viaCli) {
      const args = ['port', 'create', '--network', net.id, '--host', HOST, '--mac-address', mac];
      if (ip) args.push('--fixed-ip', `ip-address=${ip}`);
      return (await cli().openstack([...args, `p-${mac.slice(-2)}`, '-f', 'json'])) as Json;
    }
    const port = { network_id: net.id, mac_address: mac, 'binding:host_id': HOST, ...(ip ? { fixed_ips: [{ ip_address: ip }] } : {}) };
    const res = await api.post('/v2.0/ports', { port });
    expect(res.status, res.text).toBe(201);
    return res.body.port;
  }

  const portStatus = async (id: string) => (await api.get(`/v2.0/ports/${id}`)).body.port?.status;

  /** Plugs a guest as Nova would; `mac` is the guest NIC's address (normally the port's). */
  async function plugGuest(portId: string, mac: string): Promise<string> {
    const guest = await plugGuestInto(hostNs, portId, mac, 'dg');
    guests.push(guest);
    return guest;
  }

  const linkSettled = (guest: string, portId: string) => expectGuestLinkUp(hostNs, guest, portId);

  /** One-shot udhcpc: resolves with the recorded events and how long it took. */
  async function udhcpcOnce(guest: string, tries = 3): Promise<{ ok: boolean; ms: number; events: string[]; log: string }> {
    const out = join(dir, `${guest}.udhcpc`);
    const script = join(dir, `${guest}-udhcpc.sh`);
    await writeFile(script, UDHCPC_SCRIPT(out), { mode: 0o755 });
    const started = Date.now();
    let ok = true;
    let log = '';
    try {
      const r = await execInNamespace(guest, 'busybox', ['udhcpc', '-i', 'eth0', '-n', '-q', '-f', '-t', String(tries), '-T', '1', '-A', '1', '-s', script], { timeoutMs: 15_000 });
      log = r.stderr + r.stdout;
    } catch (err) {
      ok = false;
      log = String(err);
    }
    const ms = Date.now() - started;
    const events = (await readFile(out, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);
    await rm(out, { force: true });
    return { ok, ms, events, log };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dp-dhcp-'));
    app = await startAppliance({
      dialect: 'sqlite',
      env: {
        APPLIANCE_DATAPLANE_DRIVER: 'linux',
        APPLIANCE_HOST_NAMESPACE: hostNs,
        APPLIANCE_AGENT_HOST: HOST,
        APPLIANCE__AGENTS__REPORT_INTERVAL: '0.5',
        APPLIANCE__AGENTS__DHCP__LEASE_DURATION: String(LEASE),
        APPLIANCE__AGENTS__DHCP__DNS_DOMAIN: 'guests.example',
        APPLIANCE__AGENTS__L2__EXTRA_HOSTS: '[]',
      },
    });
    api = apiClient(app.apiUrl, await issueToken(app.identityUrl, adminCredentials(app.adminPassword)));
  });

  afterAll(async () => {
    for (const child of background) child.kill('SIGKILL');
    await app?.stop();
    const left = new Set(await listNamespaces());
    for (const ns of [...guests, hostNs, ...networks.map((n) => `qdhcp-${n}`)]) {
      if (left.has(ns)) await deleteNamespace(ns).catch((err: unknown) => console.error(`cleanup of ${ns}`, err));
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Guest A on network A (10.61.0.10), used by several tests: made by whichever runs first, so each also runs alone. */
  const siteA = once(async () => {
    const net = await createNetwork('dpa', '10.61.0.0/24', true);
    const port = await createPort(net, 'fa:16:3e:61:00:0a', '10.61.0.10', true);
    const guest = await plugGuest(port.id, 'fa:16:3e:61:00:0a');
    return { netA: net, portA: port, guestA: guest };
  });
  /** Site A with its port ACTIVE, the guest's link settled, and the address of its network's DHCP port. */
  const servedSiteA = async () => {
    const site = await siteA();
    expect(await eventually(() => portStatus(site.portA.id), (s) => s === 'ACTIVE', 10_000)).toBe('ACTIVE');
    await linkSettled(site.guestA, site.portA.id);
    const [dhcpPort] = (await api.get(`/v2.0/ports?device_owner=network:dhcp&network_id=${site.netA.id}`)).body.ports;
    return { ...site, dhcpIp: dhcpPort.fixed_ips[0].ip_address as string };
  };

  it('udhcpc gets exactly the port’s settings once the port is ACTIVE; the DHCP port answers ping', async () => {
    const { netA, portA, guestA } = await siteA();
    expect(await eventually(() => portStatus(portA.id), (s) => s === 'ACTIVE', 10_000)).toBe('ACTIVE');
    const [dhcpPort] = (await api.get(`/v2.0/ports?device_owner=network:dhcp&network_id=${netA.id}`)).body.ports;
    const dhcpIp = dhcpPort.fixed_ips[0].ip_address;
    expect(await eventually(() => portStatus(dhcpPort.id), (s) => s === 'ACTIVE', 10_000)).toBe('ACTIVE');
    expect((await listNamespaces())).toContain(`qdhcp-${netA.id}`);

    // The kernel activates a new veth's queue only when its link-watch work runs (up to a second after carrier):
    // until then the guest's frames are dropped before they leave it. A booting VM is never that quick; the clock
    // starts once both ends of the guest's link are operationally up.
    await linkSettled(guestA, portA.id);
    const run = await udhcpcOnce(guestA);
    expect(run.ok, run.events.join('\n')).toBe(true);
    // How fast the answer comes (issue 6: p99 under 5 ms) is the bench's dhcp.* targets, not a wall-clock limit here.
    console.info(`udhcpc bound after ${run.ms} ms`);
    expect(parse(run.events.find((e) => e.startsWith('bound'))!)).toEqual({
      ip: '10.61.0.10',
      subnet: '255.255.255.0',
      router: '10.61.0.1',
      dns: '10.61.0.53',
      domain: 'guests.example',
      mtu: String(netA.mtu),
      lease: String(LEASE),
      serverid: dhcpIp,
    });
    await execInNamespace(guestA, 'busybox', ['ping', '-c', '1', '-W', '2', dhcpIp]);
  });

  it('dhclient gets the same settings; a reboot asking for a stale address is NAKed and recovers', async () => {
    const { netA, guestA, dhcpIp } = await servedSiteA();
    const out = join(dir, 'dhclient.out');
    const script = join(dir, 'dhclient.sh');
    await writeFile(script, DHCLIENT_SCRIPT(out), { mode: 0o755 });
    const leases = join(dir, 'dhclient.leases');
    // a lease from an earlier life of this guest, for an address that is no longer its port's
    await writeFile(
      leases,
      `lease {\n  interface "eth0";\n  fixed-address 10.61.0.99;\n  option subnet-mask 255.255.255.0;\n  option dhcp-server-identifier ${dhcpIp};\n` +
        '  renew 4 2099/01/01 00:00:00;\n  rebind 4 2099/01/01 00:00:00;\n  expire 4 2099/01/01 00:00:00;\n}\n',
    );
    const started = Date.now();
    const result = await execInNamespace(
      guestA,
      'dhclient',
      ['-1', '-v', '-sf', script, '-lf', leases, '-pf', join(dir, 'dhclient.pid'), 'eth0'],
      { timeoutMs: 20_000 },
    );
    const ms = Date.now() - started;
    await runCommand('dhclient', ['-x', '-pf', join(dir, 'dhclient.pid')]).catch(() => undefined);
    expect(result.stderr).toMatch(/DHCPREQUEST for 10\.61\.0\.99/);
    expect(result.stderr).toMatch(/DHCPNAK/);
    console.info(`dhclient: NAK and recovery after ${ms} ms`);
    const events = (await readFile(out, 'utf8')).trim().split('\n');
    const bound = events.find((e) => e.startsWith('BOUND'));
    expect(parse(bound!)).toEqual({
      ip: '10.61.0.10',
      mask: '255.255.255.0',
      routers: '10.61.0.1',
      dns: '10.61.0.53',
      domain: 'guests.example',
      mtu: String(netA.mtu),
      lease: String(LEASE),
    });
  });

  it('an unknown MAC on a plugged tap gets no lease', async () => {
    const { netA } = await siteA();
    const port = await createPort(netA, 'fa:16:3e:61:00:0b');
    const guest = await plugGuest(port.id, 'fa:16:3e:61:ee:ee');
    await eventually(() => portStatus(port.id), (s) => s === 'ACTIVE', 10_000);
    const run = await udhcpcOnce(guest, 2);
    expect(run.ok).toBe(false);
    expect(run.events.filter((e) => e.startsWith('bound'))).toEqual([]);
  });

  it('changing the port’s fixed IP moves a renewing guest; deleting the port stops its lease', async () => {
    const { netA } = await siteA();
    const script = join(dir, 'renew-udhcpc.sh');
    const out = join(dir, 'renew.udhcpc');
    await writeFile(script, UDHCPC_SCRIPT(out), { mode: 0o755 });
    const port = await createPort(netA, 'fa:16:3e:61:00:0c', '10.61.0.12');
    const guest = await plugGuest(port.id, 'fa:16:3e:61:00:0c');
    await eventually(() => portStatus(port.id), (s) => s === 'ACTIVE', 10_000);
    // a long-running client, as in a guest: foreground (-f) but in the background of this test
    const child = spawn('ip', ['netns', 'exec', guest, 'busybox', 'udhcpc', '-i', 'eth0', '-f', '-T', '1', '-A', '1', '-s', script], { stdio: 'ignore' });
    background.push(child);
    const lines = async () => (await readFile(out, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);
    expect((await eventually(lines, (l) => l.some((e) => e.startsWith('bound')), 5000)).find((e) => e.startsWith('bound'))).toContain('ip=10.61.0.12 ');

    await cli().openstack(['port', 'set', '--no-fixed-ip', '--fixed-ip', 'ip-address=10.61.0.112', port.id]);
    await new Promise((r) => setTimeout(r, 300)); // the agent's refetch
    child.kill('SIGUSR1'); // renew now (instead of waiting T1): unicast REQUEST for the old address → NAK
    const after = await eventually(lines, (l) => l.some((e) => e.includes('ip=10.61.0.112 ')), 8000);
    expect(after.filter((e) => e.startsWith('bound')).at(-1)).toContain('ip=10.61.0.112 ');
    child.kill('SIGKILL');

    expect((await api.del(`/v2.0/ports/${port.id}`)).status).toBe(204);
    await new Promise((r) => setTimeout(r, 300));
    const gone = await udhcpcOnce(guest, 2);
    expect(gone.ok).toBe(false);
  });

  it('two networks with the same CIDR are served at once, each guest from its own network', async () => {
    const { guestA } = await servedSiteA();
    const netB = await createNetwork('dpb', '10.61.0.0/24');
    const portB = await createPort(netB, 'fa:16:3e:62:00:14', '10.61.0.20');
    const guestB = await plugGuest(portB.id, 'fa:16:3e:62:00:14');
    await eventually(() => portStatus(portB.id), (s) => s === 'ACTIVE', 10_000);
    const [a, b] = await Promise.all([udhcpcOnce(guestA), udhcpcOnce(guestB)]);
    expect(a.events.find((e) => e.startsWith('bound'))).toContain('ip=10.61.0.10 ');
    expect(b.events.find((e) => e.startsWith('bound'))).toContain('ip=10.61.0.20 ');
  });

  it('a killed worker is restarted and serves again without a call to the server', async () => {
    const { netA, guestA } = await servedSiteA();
    const ns = `qdhcp-${netA.id}`;
    const pids = async () => (await runCommand('ip', ['netns', 'pids', ns])).stdout.trim().split('\n').filter(Boolean);
    const [pid] = await pids();
    expect(pid).toMatch(/^\d+$/);
    process.kill(Number(pid), 'SIGKILL');
    const again = await eventually(pids, (p) => p.length === 1 && p[0] !== pid, 5000);
    expect(again[0]).not.toBe(pid);
    const run = await udhcpcOnce(guestA);
    expect(run.events.find((e) => e.startsWith('bound'))).toContain('ip=10.61.0.10 ');
  });

  it('stopping the appliance removes its DHCP namespaces', async () => {
    await app.terminate();
    const left = await listNamespaces();
    for (const id of networks) expect(left).not.toContain(`qdhcp-${id}`);
  });
});
