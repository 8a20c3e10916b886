/**
 * The `linux` DHCP driver (root): per network a namespace `qdhcp-<network_id>` holding `ns-<dhcp_port[:11]>`, one
 * end of a veth pair whose other end `tap<dhcp_port[:11]>` sits in the host namespace (dataplane.host_namespace), so
 * the L2 agent plugs it into the network's bridge like any other port. The DHCP port's addresses and the network's MTU
 * go on ns-…; one supervised worker per network (dhcp-worker.ts, started with `ip netns exec`) answers DHCP there.
 * One process per network because Node cannot tell two tenants' overlapping CIDRs apart in one process (no setns,
 * IP_PKTINFO or SO_BINDTODEVICE).
 *
 * Every change is serialised here, so stop() waits for the one under way and never for the server.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import {
  addAddress,
  addVethPair,
  deleteLink,
  deleteNamespace,
  ensureNamespace,
  getLink,
  ip,
  ipJson,
  listAddresses,
  listLinks,
  listNamespaces,
  namespaceCommand,
  ProcessSupervisor,
  setLink,
} from '../../../dataplane/index.js';
import { SerialLane } from '../../common/serial-lane.js';
import { tapDevice } from '../../../rpc/l2-agent.contract.js';
import type { DhcpNetworkInfo, DhcpPortInfo } from '../../../rpc/dhcp-agent.contract.js';
import type { DhcpEventKind } from '../core/dhcp-responder.js';
import type { DhcpServerConfig, DhcpServerState } from '../core/dhcp-state.js';
import { dhcpNetworkFromInfo } from '../core/network-info.js';
import type { DhcpDriver } from './dhcp-driver.js';
import { isRepliedMessage, isServedMessage, type ServeMessage } from './linux/worker-protocol.js';

export const DHCP_NAMESPACE_PREFIX = 'qdhcp-';
export const dhcpNamespace = (networkId: string) => `${DHCP_NAMESPACE_PREFIX}${networkId}`;
export const dhcpInterface = (portId: string) => `ns-${portId.slice(0, 11)}`;

/** Beside this file: dist/libs/agents/dhcp/drivers/ after tsc, dist/bundle/ in the bundles (rolldown input `dhcp-worker`). */
export const DEFAULT_WORKER_PATH = fileURLToPath(new URL('./dhcp-worker.js', import.meta.url));

export interface LinuxDhcpDriverOptions {
  /** where the taps live ('' = the root namespace) */
  hostNamespace: string;
  config: DhcpServerConfig;
  /** the worker's entry (a built .js file); default DEFAULT_WORKER_PATH */
  workerPath?: string;
  /** how long a worker may take to apply a state */
  workerTimeoutMs?: number;
  log?: Logger;
  /** A worker sent a reply (the replies-served counter). */
  onReplied?: (kind: DhcpEventKind) => void;
}

interface NetworkWorker {
  supervisor: ProcessSupervisor;
  /** the last state sent (sent again to a restarted worker) */
  message: ServeMessage | null;
  interface: string;
  waiting: Map<number, (error?: string) => void>;
}

export class LinuxDhcpDriver implements DhcpDriver {
  readonly name = 'linux' as const;
  private readonly log: Logger;
  private readonly workerPath: string;
  private readonly workers = new Map<string, NetworkWorker>();
  private readonly lane = new SerialLane();
  private seq = 0;

  constructor(private readonly opts: LinuxDhcpDriverOptions) {
    this.workerPath = opts.workerPath ?? DEFAULT_WORKER_PATH;
    this.log = (opts.log ?? pino({ level: 'silent' })).child({ driver: 'linux-dhcp', namespace: opts.hostNamespace || '(root)' });
  }

  /** The worker pid of a network (for tests and logs). */
  workerPid(networkId: string): number | undefined {
    return this.workers.get(networkId)?.supervisor.pid;
  }

  async start(): Promise<void> {
    if (!existsSync(this.workerPath)) throw new Error(`DHCP worker ${this.workerPath} is missing: run npm run build`);
    await this.lane.run(async () => {
      if (this.opts.hostNamespace) await ensureNamespace(this.opts.hostNamespace);
    });
  }

  apply(network: DhcpNetworkInfo): Promise<void> {
    return this.lane.run(() => this.applyNow(network));
  }

  /**
   * A port change leaves the namespace and the DHCP port's interface as they are: only the worker gets the network's
   * new state (whole, over IPC: a worker serves one network, and a restarted worker needs the whole state anyway).
   */
  applyPorts(networkId: string, _changed: readonly DhcpPortInfo[], _removed: readonly string[], network: () => DhcpNetworkInfo): Promise<void> {
    return this.lane.run(async () => {
      const info = network();
      const worker = this.workers.get(networkId);
      if (!worker?.message) return this.applyNow(info);
      const state: DhcpServerState = { config: this.opts.config, networks: [dhcpNetworkFromInfo(info)] };
      await this.feed(networkId, dhcpNamespace(networkId), worker.interface, { type: 'serve', seq: ++this.seq, state, addresses: worker.message.addresses });
    });
  }

  disable(networkId: string): Promise<void> {
    return this.lane.run(() => this.remove(networkId));
  }

  /** Removes the qdhcp- namespaces this driver owns (theirs tap is in our host namespace) that no served network needs. */
  cleanup(keep: ReadonlySet<string>): Promise<void> {
    return this.lane.run(async () => {
      for (const ns of await listNamespaces()) {
        if (!ns.startsWith(DHCP_NAMESPACE_PREFIX)) continue;
        const networkId = ns.slice(DHCP_NAMESPACE_PREFIX.length);
        if (keep.has(networkId)) continue;
        if (this.workers.has(networkId) || (await this.owns(ns))) {
          this.log.info({ namespace: ns }, 'removing a DHCP namespace no network needs');
          await this.remove(networkId);
        }
      }
    });
  }

  /** Ends the workers and removes their namespaces (the taps go with them). */
  stop(): Promise<void> {
    return this.lane.run(async () => {
      await Promise.all([...this.workers.keys()].map((id) => this.remove(id).catch((err) => this.log.warn({ err, network_id: id }, 'cleanup failed'))));
    });
  }

  configurations(): Record<string, unknown> {
    return { host_namespace: this.opts.hostNamespace };
  }

  // ----

  private async applyNow(info: DhcpNetworkInfo): Promise<void> {
    const port = info.dhcp_port!;
    const ns = dhcpNamespace(info.id);
    const dev = dhcpInterface(port.id);
    const tap = tapDevice(port.id);
    const host = this.opts.hostNamespace;
    await ensureNamespace(ns);

    // the DHCP port's interface (a new DHCP port replaces the old one's)
    for (const link of await listLinks(ns)) {
      if (link.name.startsWith('ns-') && link.name !== dev) await deleteLink(ns, link.name);
    }
    let link = await getLink(ns, dev);
    if (!link) {
      await deleteLink(host, tap); // left by a run that died between the two steps
      await addVethPair(host, tap, dev, { peerNamespace: ns });
      link = await getLink(ns, dev);
    }
    const mtu = info.mtu >= 68 ? info.mtu : undefined;
    if (link?.address !== port.mac_address.toLowerCase() || link.mtu !== mtu || !link.up) {
      await setLink(ns, dev, { address: port.mac_address.toLowerCase(), mtu, up: true });
    }
    await setLink(host, tap, { mtu, up: true });

    const addresses = await this.ensureAddresses(info, ns, dev);
    const state: DhcpServerState = { config: this.opts.config, networks: [dhcpNetworkFromInfo(info)] };
    await this.feed(info.id, ns, dev, { type: 'serve', seq: ++this.seq, state, addresses });
  }

  /** The DHCP port's IPv4 addresses on ns-…, with their subnets' prefixes; others removed. Returns the addresses. */
  private async ensureAddresses(info: DhcpNetworkInfo, ns: string, dev: string): Promise<string[]> {
    const wanted = new Map<string, string>();
    for (const fixed of info.dhcp_port!.fixed_ips) {
      const subnet = info.subnets.find((s) => s.id === fixed.subnet_id);
      if (subnet?.ip_version !== 4) continue;
      wanted.set(`${fixed.ip_address}/${subnet.cidr.split('/')[1]}`, fixed.ip_address);
    }
    const present = (await listAddresses(ns, dev)).filter((a) => a.family === 'inet').map((a) => a.cidr);
    for (const cidr of present) if (!wanted.has(cidr)) await ip(ns, ['address', 'del', cidr, 'dev', dev]);
    for (const cidr of wanted.keys()) if (!present.includes(cidr)) await addAddress(ns, dev, cidr);
    return [...wanted.values()];
  }

  /** Sends the state to the network's worker (starting it first) and waits until the worker serves it. */
  private async feed(networkId: string, ns: string, dev: string, message: ServeMessage): Promise<void> {
    let worker = this.workers.get(networkId);
    if (!worker) {
      const [command, args] = namespaceCommand(ns, process.execPath, [this.workerPath]);
      const created: NetworkWorker = {
        interface: dev,
        message: null,
        waiting: new Map(),
        supervisor: new ProcessSupervisor({
          name: `dhcp-worker-${networkId}`,
          command,
          args,
          stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
          backoff: { initialMs: 100, maxMs: 5000 },
          log: this.log,
          onStart: (child) => this.attach(created, child),
        }),
      };
      worker = created;
      this.workers.set(networkId, worker);
    }
    worker.message = message;
    const served = new Promise<string | undefined>((resolve) => worker.waiting.set(message.seq, resolve));
    const timeoutMs = this.opts.workerTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer in ${timeoutMs} ms`), timeoutMs)));
    if (worker.supervisor.child) send(worker.supervisor.child, message);
    else worker.supervisor.start(); // onStart sends it
    try {
      const error = await Promise.race([served, timedOut]);
      if (error) throw new Error(`DHCP worker of network ${networkId}: ${error}`);
    } finally {
      clearTimeout(timer);
      worker.waiting.delete(message.seq);
    }
  }

  /** A (re)started worker gets the latest state at once: a restart needs no call to the server. */
  private attach(worker: NetworkWorker, child: ChildProcess): void {
    child.on('message', (m: unknown) => {
      if (isRepliedMessage(m)) this.opts.onReplied?.(m.kind);
      if (!isServedMessage(m)) return;
      // an answer covers every older state too
      for (const [seq, resolve] of worker.waiting) if (seq <= m.seq) resolve(m.error);
      if (m.error) this.log.warn({ error: m.error }, 'DHCP worker could not apply its state');
    });
    if (worker.message) send(child, worker.message);
  }

  private async remove(networkId: string): Promise<void> {
    const worker = this.workers.get(networkId);
    this.workers.delete(networkId);
    if (worker) {
      for (const resolve of worker.waiting.values()) resolve('the network is no longer served');
      await worker.supervisor.stop();
    }
    await deleteNamespace(dhcpNamespace(networkId));
  }

  /** Ours: its ns-… interface's peer is the tap of the same name in our host namespace. */
  private async owns(ns: string): Promise<boolean> {
    try {
      const rows = await ipJson<{ ifname: string; link_index?: number }>(ns, ['link', 'show']);
      for (const row of rows) {
        if (!row.ifname.startsWith('ns-')) continue;
        const tap = await getLink(this.opts.hostNamespace, `tap${row.ifname.slice(3)}`);
        if (tap && tap.index === row.link_index) return true;
      }
    } catch (err) {
      this.log.debug({ err, namespace: ns }, 'cannot read a DHCP namespace');
    }
    return false;
  }
}

function send(child: ChildProcess, message: ServeMessage): void {
  if (child.connected) child.send(message, (err) => err && undefined);
}
