/**
 * The built appliance with `dataplane.driver: linux` (root; skipped loudly otherwise): L2, DHCP and L3 agents on
 * the real kernel. Guests are plugged the way Nova/os-vif does (a veth pair: `tap<port[:11]>` in the appliance's host
 * namespace, `eth0` in the guest's own namespace) and get their address and default route from busybox `udhcpc`.
 * The external network is the flat provider network on physnet `public`: the L2 agent bridges it to the interface
 * `physical_interface_mappings` names in the host namespace, here one end of a veth whose other end is the external
 * host's `eth0`. The external host has an address on the external subnet and no route to the tenant subnet: only the
 * router's NAT can make the requests below work. Every guest and the external host run busybox `httpd` with a CGI
 * that prints REMOTE_ADDR, so a request shows the source address the other end saw.
 *
 * The user story's main commands go through the real `openstack` CLI (router create, set --external-gateway, add
 * subnet, floating ip create --port, floating ip port forwarding create); the rest through the API.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tapDevice } from '../../libs/rpc/l2-agent.contract.js';
import {
  addAddress,
  addVethPair,
  deleteNamespace,
  ensureNamespace,
  execInNamespace,
  getLink,
  listNamespaces,
  namespaceCommand,
  namespaceExists,
  setLink,
} from '../../libs/dataplane/index.js';
import { skipUnlessDataplane, testNamespaceName } from '../../libs/dataplane/testing/dataplane-availability.js';
import { type Appliance, startAppliance } from './support/appliance.js';
import { cliFor } from './support/cli.js';
import { adminCredentials, apiClient, type ApiClient, issueToken, type Json } from './support/http.js';
import { expectGuestLinkUp, plugGuest } from './support/guests.js';
import { once } from './support/suite.js';
import { eventually } from './support/wait.js';

const unavailable = await skipUnlessDataplane('test/e2e/dataplane-l3.e2e.ts');
const HOST = 'dp-l3-node';
/** the interface physnet `public` maps to in the host namespace: the host's end of the external host's veth */
const UPLINK = 'ext0';
const EXT_CIDR = '172.31.62.0/24';
const EXT_HOST_IP = '172.31.62.1'; // the external subnet's gateway: the router's default route points at it
const TENANT_CIDR = '10.62.1.0/24';
const VM1 = { mac: 'fa:16:3e:62:01:0a', ip: '10.62.1.10' };
const VM2 = { mac: 'fa:16:3e:62:01:0b', ip: '10.62.1.11' };
const PF_PORT = 8080;

/** busybox udhcpc's script: sets the address and the default route like a guest, records the `bound` event. */
const UDHCPC_SCRIPT = (out: string) => `#!/bin/sh
echo "$1 ip=$ip router=$router" >> ${out}
case "$1" in
  deconfig) busybox ip -4 addr flush dev "$interface" ;;
  bound|renew)
    busybox ip -4 addr flush dev "$interface"; busybox ifconfig "$interface" "$ip" netmask "$subnet" up
    busybox ip route replace default via "$router" dev "$interface" ;;
esac
`;

/** The CGI every web server here runs: the client address as the server saw it. */
const CGI = '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n%s\\n" "$REMOTE_ADDR"\n';

describe.skipIf(unavailable)('L3 agent, linux dataplane, through the appliance (root)', () => {
  const hostNs = testNamespaceName('l3host');
  const extNs = testNamespaceName('l3ext');
  /** a router namespace an earlier run left, with a device whose peer is a tap in our host namespace */
  const staleRouter = `qrouter-${randomUUID()}`;
  const guests: string[] = [];
  const servers: ChildProcess[] = [];
  const networks: string[] = [];
  const routers: string[] = [];
  let dir: string;
  let app: Appliance;
  let api: ApiClient;
  const cli = () => cliFor(app);
  const os = (...args: string[]) => cli().openstack([...args, '-f', 'json']);
  const run = (...args: string[]) => cli().openstack(args);

  /** busybox httpd in `ns` on port 80, serving the CGI. */
  function serve(ns: string): void {
    const [file, args] = namespaceCommand(ns, 'busybox', ['httpd', '-f', '-p', '80', '-h', join(dir, 'www')]);
    servers.push(spawn(file, args, { stdio: 'ignore' }));
  }

  /** One request: what the server at `url` saw as the client's address, or null when it cannot be reached. */
  async function fetchOnce(from: string, url: string, seconds = 2): Promise<string | null> {
    try {
      // busybox timeout, not wget -T (this busybox's wget crashes with it); httpd gives REMOTE_ADDR as [::ffff:a.b.c.d]
      const { stdout } = await execInNamespace(from, 'busybox', ['timeout', String(seconds), 'busybox', 'wget', '-q', '-O', '-', url]);
      return /(\d+\.\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? stdout.trim();
    } catch {
      return null;
    }
  }

  /** Polls until the request is answered (the first packets wait for ARP, bridge learning, the agent's pass). */
  async function remoteAddr(from: string, url: string, ms = 10_000): Promise<string | null> {
    return eventually(() => fetchOnce(from, url), (addr) => addr !== null, ms);
  }

  /**
   * Polls until the request is no longer answered; resolves with how long that took, or null if it never stopped. A
   * miss counts once a second try with a longer timeout misses too (a slow answer on a busy machine is no stop).
   */
  async function stops(from: string, url: string, ms = 5_000): Promise<number | null> {
    const started = Date.now();
    while (Date.now() - started < ms) {
      if ((await fetchOnce(from, url, 1)) !== null) continue;
      const missed = Date.now() - started;
      if ((await fetchOnce(from, url, 2)) === null) return missed;
    }
    return null;
  }

  async function pings(from: string, address: string): Promise<boolean> {
    try {
      await execInNamespace(from, 'busybox', ['ping', '-c', '1', '-W', '1', address]);
      return true;
    } catch {
      return false;
    }
  }

  /** A guest port bound to this host, its guest plugged as Nova does and given its address by DHCP. */
  async function bootGuest(net: Json, vm: { mac: string; ip: string }): Promise<{ port: Json; ns: string; bound: string }> {
    const body = {
      network_id: net.id,
      mac_address: vm.mac,
      fixed_ips: [{ ip_address: vm.ip }],
      'binding:host_id': HOST,
      device_owner: 'compute:nova',
      device_id: randomUUID(),
    };
    const res = await api.post('/v2.0/ports', { port: body });
    expect(res.status, res.text).toBe(201);
    const port = res.body.port;
    const ns = await plugGuest(hostNs, port.id, vm.mac, 'l3g');
    guests.push(ns);
    await execInNamespace(ns, 'ip', ['link', 'set', 'lo', 'up']);
    expect(await eventually(portStatus(port.id), (s) => s === 'ACTIVE', 10_000)).toBe('ACTIVE');
    await expectGuestLinkUp(hostNs, ns, port.id);
    const out = join(dir, `${ns}.udhcpc`);
    const script = join(dir, `${ns}.sh`);
    await writeFile(script, UDHCPC_SCRIPT(out), { mode: 0o755 });
    await execInNamespace(ns, 'busybox', ['udhcpc', '-i', 'eth0', '-n', '-q', '-f', '-t', '5', '-T', '1', '-A', '1', '-s', script], { timeoutMs: 15_000 });
    const bound = (await readFile(out, 'utf8')).split('\n').find((l) => l.startsWith('bound')) ?? '';
    serve(ns);
    return { port, ns, bound };
  }

  const portStatus = (id: string) => async () => (await api.get(`/v2.0/ports/${id}`)).body.port?.status as string | undefined;
  const fipStatus = (id: string) => async () => (await api.get(`/v2.0/floatingips/${id}`)).body.floatingip?.status as string | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dp-l3-'));
    await mkdir(join(dir, 'www', 'cgi-bin'), { recursive: true });
    await writeFile(join(dir, 'www', 'cgi-bin', 'addr'), CGI);
    await chmod(join(dir, 'www', 'cgi-bin', 'addr'), 0o755);

    // the external host, cabled to the physical interface of physnet `public` (the L2 agent bridges it)
    await ensureNamespace(hostNs);
    await ensureNamespace(extNs);
    await addVethPair(hostNs, UPLINK, 'eth0', { peerNamespace: extNs });
    await setLink(hostNs, UPLINK, { up: true });
    await setLink(extNs, 'eth0', { up: true });
    await execInNamespace(extNs, 'ip', ['link', 'set', 'lo', 'up']);
    await addAddress(extNs, 'eth0', `${EXT_HOST_IP}/24`);
    serve(extNs);

    app = await startAppliance({
      dialect: 'sqlite',
      env: {
        APPLIANCE_DATAPLANE_DRIVER: 'linux',
        APPLIANCE_HOST_NAMESPACE: hostNs,
        APPLIANCE_AGENT_HOST: HOST,
        APPLIANCE__AGENTS__REPORT_INTERVAL: '0.5',
        APPLIANCE__AGENTS__L2__EXTRA_HOSTS: '[]',
        APPLIANCE__AGENTS__L2__PHYSICAL_INTERFACE_MAPPINGS: `{public: ${UPLINK}}`,
      },
    });
    api = apiClient(app.apiUrl, await issueToken(app.identityUrl, adminCredentials(app.adminPassword)));
  });

  afterAll(async () => {
    for (const server of servers) server.kill('SIGKILL');
    await app?.stop();
    const left = new Set(await listNamespaces());
    const mine = [...guests, extNs, staleRouter, ...routers.map((r) => `qrouter-${r}`), ...networks.map((n) => `qdhcp-${n}`), hostNs];
    for (const ns of mine) {
      if (left.has(ns)) await deleteNamespace(ns).catch((err: unknown) => console.error(`cleanup of ${ns}`, err));
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /**
   * The whole user story up to traffic: the external network and a tenant network (API), two guests with their
   * addresses by DHCP, a router with its gateway and interface, a floating IP on guest 1 and a port forwarding of a
   * second floating IP to guest 2's port 80 (CLI). Made by whichever test runs first.
   */
  const site = once(async () => {
    const pub = (await api.post('/v2.0/networks', {
      network: { name: 'l3e-public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' },
    })).body.network;
    networks.push(pub.id);
    const pubSubnet = { network_id: pub.id, cidr: EXT_CIDR, ip_version: 4, gateway_ip: EXT_HOST_IP, enable_dhcp: false };
    expect((await api.post('/v2.0/subnets', { subnet: pubSubnet })).status).toBe(201);
    const net = (await api.post('/v2.0/networks', { network: { name: 'l3e-net' } })).body.network;
    networks.push(net.id);
    const sub = (await api.post('/v2.0/subnets', { subnet: { network_id: net.id, name: 'l3e-sub', cidr: TENANT_CIDR, ip_version: 4 } })).body.subnet;

    // the CLI costs a second or more a command: the router is made while the guests boot, and what does not depend
    // on the other command runs beside it
    const routed = (async () => {
      const router = await os('router', 'create', 'l3e-r1');
      routers.push(router.id);
      await Promise.all([run('router', 'set', '--external-gateway', pub.id, router.id), run('router', 'add', 'subnet', router.id, sub.id)]);
      return router;
    })();
    const [vm1, vm2] = await Promise.all([bootGuest(net, VM1), bootGuest(net, VM2)]);
    const router = await routed;
    const pfFip = (await api.post('/v2.0/floatingips', { floatingip: { floating_network_id: pub.id } })).body.floatingip;
    const [fip, pf] = await Promise.all([
      os('floating', 'ip', 'create', '--port', vm1.port.id, pub.id),
      os(
        'floating', 'ip', 'port', 'forwarding', 'create', '--internal-ip-address', VM2.ip, '--port', vm2.port.id,
        '--internal-protocol-port', '80', '--external-protocol-port', String(PF_PORT), '--protocol', 'tcp', pfFip.id,
      ),
    ]);
    const shown = (await api.get(`/v2.0/routers/${router.id}`)).body.router;
    const gatewayIp: string = shown.external_gateway_info.external_fixed_ips[0].ip_address;
    // the agent built it: the floating IP reported ACTIVE
    expect(await eventually(fipStatus(fip.id), (s) => s === 'ACTIVE', 15_000)).toBe('ACTIVE');
    return { pub, net, sub, vm1, vm2, router, gatewayIp, fip, fipIp: fip.floating_ip_address as string, pfFip, pfIp: pfFip.floating_ip_address as string, pf };
  });

  it('guests get their address and the router by DHCP; the router namespace is built', async () => {
    const { vm1, vm2, router } = await site();
    expect(vm1.bound).toBe(`bound ip=${VM1.ip} router=10.62.1.1`);
    expect(vm2.bound).toBe(`bound ip=${VM2.ip} router=10.62.1.1`);
    expect(await namespaceExists(`qrouter-${router.id}`)).toBe(true);
  });

  it('SNAT: the external host sees the gateway address, or the floating IP of a guest with one', async () => {
    const { vm1, vm2, gatewayIp, fipIp } = await site();
    // the external host has no route to the tenant subnet: only the router's NAT can answer
    expect(await pings(extNs, VM2.ip)).toBe(false);
    expect(await remoteAddr(vm2.ns, `http://${EXT_HOST_IP}/cgi-bin/addr`)).toBe(gatewayIp);
    expect(await remoteAddr(vm1.ns, `http://${EXT_HOST_IP}/cgi-bin/addr`)).toBe(fipIp);
  });

  it('DNAT: the external host reaches a guest on its floating IP, and another on the port forwarding', async () => {
    const { fipIp, pfIp } = await site();
    expect(await remoteAddr(extNs, `http://${fipIp}/cgi-bin/addr`)).toBe(EXT_HOST_IP);
    expect(await remoteAddr(extNs, `http://${pfIp}:${PF_PORT}/cgi-bin/addr`)).toBe(EXT_HOST_IP);
    // only the forwarded port: the port forwarding's floating IP is not the guest's
    expect(await fetchOnce(extNs, `http://${pfIp}/cgi-bin/addr`, 1)).toBeNull();
  });

  it('hairpin: a guest reaches another guest on its floating IP', async () => {
    const { vm2, fipIp, gatewayIp } = await site();
    // SNATed to the gateway address, so the reply comes back through the router to be un-DNATed
    expect(await remoteAddr(vm2.ns, `http://${fipIp}/cgi-bin/addr`)).toBe(gatewayIp);
  });

  it('dissociating the floating IP stops it at once; associating it again brings it back', async () => {
    const { vm1, fip, fipIp } = await site();
    expect(await remoteAddr(extNs, `http://${fipIp}/cgi-bin/addr`)).toBe(EXT_HOST_IP);
    expect((await api.put(`/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: null } })).status).toBe(200);
    const ms = await stops(extNs, `http://${fipIp}/cgi-bin/addr`);
    expect(ms, 'the floating IP still answers after its dissociation').not.toBeNull();
    console.info(`dissociated floating IP stopped answering after ${ms} ms`);
    expect(await eventually(fipStatus(fip.id), (s) => s === 'DOWN', 5_000)).toBe('DOWN');

    expect((await api.put(`/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: vm1.port.id } })).status).toBe(200);
    expect(await remoteAddr(extNs, `http://${fipIp}/cgi-bin/addr`)).toBe(EXT_HOST_IP);
  });

  it('after a restart of the appliance while guests run, the resync rebuilds the router and traffic works again', async () => {
    const { vm2, router, gatewayIp, fipIp, pfIp } = await site();
    // left by an earlier run: a router namespace whose device's peer is a tap in our host namespace
    const staleTap = `tap${staleRouter.slice('qrouter-'.length, 'qrouter-'.length + 11)}`;
    await ensureNamespace(staleRouter);
    await addVethPair(hostNs, staleTap, `qr-${staleTap.slice(3)}`, { peerNamespace: staleRouter });

    const ms = await app.restart();
    console.info(`appliance restarted in ${Math.round(ms)} ms`);
    // the resync's last step removes the router namespaces the driver owns that no router needs: the stale one.
    // The router was rebuilt from nothing: its taps were deleted and made again under the same names, which the L2
    // agent must wire into their bridges again.
    expect(await eventually(() => namespaceExists(staleRouter), (exists) => !exists, 15_000)).toBe(false);
    expect(await getLink(hostNs, staleTap)).toBeNull();
    // (with dataplane.cleanup_on_stop, the default, the stop removed it too: the resync builds it again)
    expect(await eventually(() => namespaceExists(`qrouter-${router.id}`), (exists) => exists, 20_000)).toBe(true);
    expect(await remoteAddr(extNs, `http://${fipIp}/cgi-bin/addr`)).toBe(EXT_HOST_IP);
    expect(await remoteAddr(extNs, `http://${pfIp}:${PF_PORT}/cgi-bin/addr`)).toBe(EXT_HOST_IP);
    expect(await remoteAddr(vm2.ns, `http://${EXT_HOST_IP}/cgi-bin/addr`)).toBe(gatewayIp);
  });

  it('removing the router interface stops the guests’ traffic at once', async () => {
    const { vm2, sub, router, fip, pfFip, pf, pfIp } = await site();
    expect(await remoteAddr(vm2.ns, `http://${EXT_HOST_IP}/cgi-bin/addr`)).not.toBeNull();
    // Neutron refuses to remove an interface a floating IP or a port forwarding reaches a guest through
    // (RouterInterfaceInUseByFloatingIP): they go first, and the port forwarding stops with its deletion
    expect((await api.del(`/v2.0/floatingips/${fip.id}`)).status).toBe(204);
    expect(await remoteAddr(extNs, `http://${pfIp}:${PF_PORT}/cgi-bin/addr`)).toBe(EXT_HOST_IP);
    expect((await api.del(`/v2.0/floatingips/${pfFip.id}/port_forwardings/${pf.id}`)).status).toBe(204);
    expect(await stops(extNs, `http://${pfIp}:${PF_PORT}/cgi-bin/addr`), 'the port forwarding still answers after its deletion').not.toBeNull();
    const removed = await api.put(`/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: sub.id });
    expect(removed.status, removed.text).toBe(200);
    const ms = await stops(vm2.ns, `http://${EXT_HOST_IP}/cgi-bin/addr`);
    expect(ms, 'the guest still reaches the external host after the interface was removed').not.toBeNull();
    console.info(`traffic stopped ${ms} ms after the interface removal`);
  });

  it('deleting the router stops it answering on its gateway address and removes its namespace and taps', async () => {
    const { router, gatewayIp, pfFip } = await site();
    expect(await eventually(() => pings(extNs, gatewayIp), (ok) => ok, 5_000)).toBe(true);
    const gwPorts = (await api.get(`/v2.0/ports?device_id=${router.id}&device_owner=network:router_gateway`)).body.ports;
    expect(gwPorts).toHaveLength(1);
    // a floating IP on the router's gateway network keeps its router (RouterExternalGatewayInUseByFloatingIp)
    const deleted = await api.del(`/v2.0/floatingips/${pfFip.id}`);
    expect(deleted.status, deleted.text).toBe(204);
    expect((await api.del(`/v2.0/routers/${router.id}`)).status).toBe(204);
    expect(await eventually(() => namespaceExists(`qrouter-${router.id}`), (exists) => !exists, 5_000)).toBe(false);
    expect(await pings(extNs, gatewayIp)).toBe(false);
    expect(await getLink(hostNs, tapDevice(gwPorts[0].id))).toBeNull();
  });
});
