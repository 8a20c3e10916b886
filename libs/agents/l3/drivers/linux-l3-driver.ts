/**
 * The `linux` L3 driver (root): per router a namespace `qrouter-<router_id>` holding `qr-<port[:11]>` (interfaces)
 * and `qg-<port[:11]>` (gateway), each one end of a veth pair whose other end `tap<port[:11]>` sits in the host
 * namespace (dataplane.host_namespace), so the L2 agent plugs it into the network's bridge like any other port.
 * It runs the core's operations in their order: `ip` for links, addresses and routes, sysctl for forwarding,
 * `iptables-restore --noflush` for the ruleset changes (atomic per table), `arping -U` for the gratuitous ARPs (in the
 * background: arping takes a second). New addresses and the ruleset change that follows them run side by side (see
 * concurrentRun): a floating IP goes live after one process's time, not two.
 *
 * A router namespace found from an earlier run is rebuilt when the agent first builds that router (its state is
 * unknown), and the agent's resync removes the router namespaces it owns that no router needs (`cleanup`).
 * Every change is serialised here.
 */
import { existsSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import {
  addAddress,
  addNamespace,
  addVethPair,
  deleteLink,
  deleteNamespace,
  execInNamespace,
  failureKind,
  getLink,
  ip,
  ipJson,
  iptablesRestore,
  listLinks,
  listNamespaces,
  namespaceExists,
  setLink,
} from '../../../dataplane/index.js';
import { tapDevice } from '../../../rpc/l2-agent.contract.js';
import { SerialLane } from '../../common/serial-lane.js';
import type { RouterOp } from '../core/router-diff.js';
import type { L3Driver } from './l3-driver.js';

const ROUTER_NAMESPACE_PREFIX = 'qrouter-';
const SYSCTL = ['/usr/sbin/sysctl', '/sbin/sysctl'].find((p) => existsSync(p)) ?? 'sysctl';
const ARPING = '/usr/bin/arping';

export interface LinuxL3DriverOptions {
  /** where the taps live ('' = the root namespace) */
  hostNamespace: string;
  /** On stop, remove the router namespaces it owns. */
  cleanupOnStop?: boolean;
  log?: Logger;
}

export class LinuxL3Driver implements L3Driver {
  readonly name = 'linux' as const;
  private readonly log: Logger;
  private readonly lane = new SerialLane();
  /** namespaces this run built (a namespace left by an earlier run is rebuilt on first use) */
  private readonly built = new Set<string>();
  /** gratuitous ARPs under way (stop waits for them: no arping outlives the driver) */
  private readonly announcing = new Set<Promise<void>>();

  constructor(private readonly opts: LinuxL3DriverOptions) {
    this.log = (opts.log ?? pino({ level: 'silent' })).child({ driver: 'linux-l3', namespace: opts.hostNamespace || '(root)' });
  }

  start(): Promise<void> {
    return this.lane.run(async () => {
      if (this.opts.hostNamespace && !(await namespaceExists(this.opts.hostNamespace))) await addNamespace(this.opts.hostNamespace);
    });
  }

  apply(routerId: string, ops: readonly RouterOp[]): Promise<void> {
    return this.lane.run(async () => {
      for (let i = 0; i < ops.length; ) {
        const together = concurrentRun(ops, i);
        if (together > 1) await settleAll(ops.slice(i, i + together).map((op) => this.run(op)));
        else await this.run(ops[i]);
        i += together;
      }
    });
  }

  /** Removes the qrouter- namespaces this driver owns (built by this run, or with a device whose tap is ours). */
  cleanup(keep: ReadonlySet<string>): Promise<void> {
    return this.lane.run(async () => {
      for (const ns of await listNamespaces()) {
        if (!ns.startsWith(ROUTER_NAMESPACE_PREFIX) || keep.has(ns.slice(ROUTER_NAMESPACE_PREFIX.length))) continue;
        if (this.built.has(ns) || (await this.owns(ns))) {
          this.log.info({ namespace: ns }, 'removing a router namespace no router needs');
          await this.removeNamespace(ns);
        }
      }
    });
  }

  /**
   * dataplane.cleanup_on_stop: the router namespaces it owns go with the agent (the L2 agent removes the bridges they
   * hang on). Off: routers keep forwarding while the agent is away; a restarted agent's resync takes them over.
   */
  stop(): Promise<void> {
    const announced = this.lane.run(async () => {
      await Promise.allSettled(this.announcing);
    });
    if (this.opts.cleanupOnStop) return announced.then(() => this.cleanup(new Set()));
    return announced;
  }

  configurations(): Record<string, unknown> {
    return { host_namespace: this.opts.hostNamespace };
  }

  // ----

  private async run(op: RouterOp): Promise<void> {
    const ns = op.namespace;
    switch (op.op) {
      case 'create-namespace':
        // left by an earlier run (or a failed apply): its state is unknown, so it is built again from nothing
        if (await namespaceExists(ns)) await this.removeNamespace(ns);
        await addNamespace(ns);
        await ip(ns, ['link', 'set', 'dev', 'lo', 'up']);
        this.built.add(ns);
        return;
      case 'delete-namespace':
        await this.removeNamespace(ns);
        return;
      case 'enable-forwarding':
        await this.sysctl(ns, ['-w', 'net.ipv4.ip_forward=1', '-w', 'net.ipv6.conf.all.forwarding=1']);
        return;
      case 'plug-device': {
        const { device } = op;
        const host = this.opts.hostNamespace;
        const tap = tapDevice(device.port_id);
        await deleteLink(ns, device.name);
        await deleteLink(host, tap); // left by a run that died between the two steps
        await addVethPair(host, tap, device.name, { peerNamespace: ns });
        const mtu = device.mtu !== null && device.mtu >= 68 ? device.mtu : undefined;
        await setLink(ns, device.name, { address: device.mac_address, mtu, up: true });
        await setLink(host, tap, { mtu, up: true });
        return;
      }
      case 'unplug-device':
        await deleteLink(ns, op.name);
        return;
      case 'add-address':
        await addAddress(ns, op.device, op.cidr);
        return;
      case 'remove-address':
        await this.tolerant(ip(ns, ['address', 'del', op.cidr, 'dev', op.device]));
        return;
      case 'replace-route': {
        const { destination, via, device } = op.route;
        await ip(ns, ['route', 'replace', destination, 'via', via, ...(device ? ['dev', device] : [])]);
        return;
      }
      case 'delete-route':
        await this.tolerant(ip(ns, ['route', 'del', op.route.destination]));
        return;
      case 'load-ruleset':
        await iptablesRestore(ns, op.restore);
        return;
      case 'garp':
        this.announce(ns, op.device, op.address);
        return;
    }
  }

  /**
   * The router's devices first (their taps go with them at once; the kernel tears a namespace down later, which
   * would leave the taps behind for a while and their names taken), then the namespace. Absent: nothing to do.
   */
  private async removeNamespace(ns: string): Promise<void> {
    if (await namespaceExists(ns)) {
      for (const link of await listLinks(ns)) if (/^q[rg]-/.test(link.name)) await deleteLink(ns, link.name);
    }
    await deleteNamespace(ns);
    this.built.delete(ns);
  }

  /**
   * `arping -U` in the background: arping waits a second after its probe however it is called, and the next router
   * change must not wait behind it (Neutron's agent also spawns it apart). As in Neutron, a lost announcement is not
   * a failure of the router: logged, the next one catches up.
   */
  private announce(ns: string, device: string, address: string): void {
    // Spawned on the next turn: starting a process takes a while on a busy host, and the apply is done without it.
    const started = new Promise<void>((resolve) => setImmediate(resolve));
    const done = started.then(() => execInNamespace(ns, ARPING, ['-U', '-c', '1', '-w', '1', '-I', device, address])).then(
      () => undefined,
      (err: unknown) => this.log.warn({ err, namespace: ns, address }, 'gratuitous ARP failed'),
    );
    this.announcing.add(done);
    void done.finally(() => this.announcing.delete(done));
  }

  private async sysctl(ns: string, args: string[]): Promise<void> {
    await execInNamespace(ns, SYSCTL, ['-q', ...args]);
  }

  /** An address or route already gone is not an error. */
  private async tolerant(work: Promise<unknown>): Promise<void> {
    try {
      await work;
    } catch (err) {
      const text = (err as { stderr?: string }).stderr ?? '';
      if (failureKind(err) !== 'not-found' && !/Cannot assign requested address|No such process/i.test(text)) throw err;
    }
  }

  /** Ours: a qr-/qg- device whose peer is the tap of the same port in our host namespace. */
  private async owns(ns: string): Promise<boolean> {
    try {
      const rows = await ipJson<{ ifname: string; link_index?: number }>(ns, ['link', 'show']);
      for (const row of rows) {
        if (!/^q[rg]-/.test(row.ifname)) continue;
        const tap = await getLink(this.opts.hostNamespace, `tap${row.ifname.slice(3)}`);
        if (tap && tap.index === row.link_index) return true;
      }
    } catch (err) {
      this.log.debug({ err, namespace: ns }, 'cannot read a router namespace');
    }
    return false;
  }
}

/**
 * How many ops from `start` may run side by side: a run of new addresses and the ruleset change right after them (a
 * rule naming an address does not need it on its device yet, and the addresses do not depend on each other). Routes
 * between them (a route needs its connected subnet) end the run. 1 = this op alone.
 */
export function concurrentRun(ops: readonly RouterOp[], start: number): number {
  let end = start;
  while (end < ops.length && ops[end].op === 'add-address') end++;
  if (end < ops.length && ops[end].op === 'load-ruleset') end++;
  return Math.max(1, end - start);
}

/** Waits for every one (no process outlives the apply), then fails with the first failure. */
async function settleAll(work: Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
