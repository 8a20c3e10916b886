/**
 * The DHCP agent of one host (neutron-dhcp-agent) on the AgentSkeleton: pulls the networks scheduled here
 * (get_active_networks_info) at start and whenever the server had it down, refetches one network
 * (get_network_info) per network notice on dhcp_agent.<host>, applies port notices to what it knows of the network
 * (one port replaced or removed, no refetch), has its driver serve them, and tells the server which ports are
 * served (dhcp_ready_on_ports), which lets them go ACTIVE.
 *
 * Notices only mark work; one loop does it, a pass at a time, so two notices about a network never race. A port
 * notice for a network the agent does not know, or about its DHCP port, makes it refetch the network. A failed pass
 * (server unreachable, driver error) keeps its work marked (a failed port change: the network, for a refetch) and
 * retries with backoff.
 */
import { AgentSkeleton, retryingAgent, type AgentReport, type AgentSubscription, type RetryingAgentOptions } from '../common/agent-skeleton.js';
import { PLUGIN_TOPIC } from '../../rpc/agent-state.contract.js';
import {
  dhcpAgentTopic,
  type DhcpActiveNetworksRequest,
  type DhcpAgentConfigurations,
  type DhcpNetworkInfo,
  type DhcpNetworkInfoRequest,
  type DhcpNetworkNotice,
  type DhcpPortDeleteNotice,
  type DhcpPortInfo,
  type DhcpPortUpdateNotice,
  type DhcpReadyRequest,
} from '../../rpc/dhcp-agent.contract.js';
import { servable, type DhcpDriver } from './drivers/dhcp-driver.js';

/** Neutron's DHCP_READY_PORTS_SYNC_MAX: port ids per dhcp_ready_on_ports call. */
const READY_BATCH = 64;

export interface DhcpAgentOptions extends RetryingAgentOptions {
  driver: DhcpDriver;
  /** agents.dhcp.lease_duration, reported as dhcp_lease_duration. */
  leaseDuration: number;
}

/** What the agent knows of a network the server hosts here: get_network_info's answer with the port notices since. */
interface KnownNetwork {
  info: Omit<DhcpNetworkInfo, 'ports'>;
  ports: Map<string, DhcpPortInfo>;
  /** the driver serves it (see `servable`) */
  served: boolean;
}

const DHCP_OWNER = 'network:dhcp';

export class DhcpAgent extends AgentSkeleton {
  private readonly driver: DhcpDriver;

  /** the networks hosted here, served or not */
  private readonly known = new Map<string, KnownNetwork>();
  /** networks a notice named since the last pass took them: true = refetch, false = removed */
  private marked = new Map<string, boolean>();
  /** port notices since the last pass took them: network id → port id → the port, or null = deleted */
  private portChanges = new Map<string, Map<string, DhcpPortInfo | null>>();
  /** ports served whose readiness the server has not acknowledged yet */
  private readonly ready = new Set<string>();

  constructor(private readonly opts: DhcpAgentOptions) {
    super(retryingAgent('dhcp', opts));
    this.driver = opts.driver;
  }

  // ---- the skeleton's questions ----

  protected state(): AgentReport {
    return this.describeAs('dhcp', this.configurations(), this.opts.availabilityZone);
  }

  protected subscriptions(): AgentSubscription[] {
    const onNotice = (removed: boolean) => (payload: unknown) => this.mark((payload as DhcpNetworkNotice).network_id, removed);
    const handlers = {
      network_update: onNotice(false),
      network_remove: onNotice(true),
      port_update: (payload: unknown) => this.portNotice(payload as DhcpPortUpdateNotice, false),
      port_delete: (payload: unknown) => this.portNotice(payload as DhcpPortDeleteNotice, true),
    };
    return [{ topic: dhcpAgentTopic(this.host), handlers }];
  }

  protected passFailed(err: unknown): void {
    this.log.error({ err }, 'DHCP sync failed; retrying');
  }

  /** The driver starts before the agent listens. */
  protected override starting(): Promise<void> {
    return this.driver.start();
  }

  protected override started(): void {
    this.log.info({ driver: this.driver.name, ...this.driver.configurations() }, 'DHCP agent started');
  }

  /** The driver stops serving (it waits for its own work, never for an RPC: the server may be gone). */
  protected override async stopped(): Promise<void> {
    await this.driver.stop();
    this.known.clear();
    this.portChanges.clear();
    this.log.info('DHCP agent stopped');
  }

  configurations(): DhcpAgentConfigurations & Record<string, unknown> {
    let subnets = 0;
    let ports = 0;
    let networks = 0;
    for (const net of this.known.values()) {
      if (!net.served) continue;
      networks++;
      subnets += net.info.subnets.length;
      ports += net.ports.size;
    }
    return {
      dhcp_driver: this.driver.name,
      dhcp_lease_duration: this.opts.leaseDuration,
      networks,
      subnets,
      ports,
      log_agent_heartbeats: false,
      ...this.driver.configurations(),
    };
  }

  /** The networks served now. */
  networks(): string[] {
    return [...this.known].filter(([, net]) => net.served).map(([id]) => id);
  }

  // ---- notices (they only mark work) ----

  private mark(networkId: string, removed: boolean): void {
    if (typeof networkId !== 'string' || networkId === '') return;
    this.marked.set(networkId, !removed);
    this.requestPass();
  }

  private portNotice(notice: Partial<DhcpPortUpdateNotice & DhcpPortDeleteNotice> | undefined, deleted: boolean): void {
    const networkId = notice?.network_id;
    if (typeof networkId !== 'string' || networkId === '') return;
    const port = deleted ? null : notice?.port;
    const portId = deleted ? notice?.port_id : port?.id;
    // a notice that does not say what the port is now: refetch the network instead of guessing
    if (typeof portId !== 'string' || (port !== null && !isPortInfo(port))) return this.mark(networkId, false);
    const changes = this.portChanges.get(networkId) ?? this.portChanges.set(networkId, new Map()).get(networkId)!;
    changes.set(portId, port);
    this.requestPass();
  }

  // ---- the loop ----

  /** One pass over the networks and ports the notices marked (after the resync when one is due). */
  protected async pass(): Promise<void> {
    const marked = this.marked;
    const portChanges = this.portChanges;
    this.marked = new Map();
    this.portChanges = new Map();
    let failed = false;
    // a network refetched (or removed) in this pass already reflects every port notice taken with it
    for (const [networkId, ports] of portChanges) {
      if (marked.has(networkId) || !this.running) continue;
      try {
        await this.applyPortChanges(networkId, ports);
      } catch (err) {
        if (!this.marked.has(networkId)) this.marked.set(networkId, true);
        this.log.warn({ err, network_id: networkId }, 'unable to apply port changes; the network will be refetched');
        failed = true;
      }
    }
    for (const [networkId, present] of marked) {
      if (!this.running) return;
      try {
        if (present) await this.refresh(networkId);
        else await this.disable(networkId);
      } catch (err) {
        // kept for the retry, unless a newer notice already marked it again
        if (!this.marked.has(networkId)) this.marked.set(networkId, present);
        this.log.warn({ err, network_id: networkId }, 'unable to sync the network');
        failed = true;
      }
    }
    await this.flushReady();
    if (failed) throw new Error('some networks failed to sync');
  }

  /**
   * The full list of networks scheduled here: each is served, the others stop. Notices that arrive meanwhile stay
   * marked and are refetched after it, so nothing older than a notice wins.
   */
  protected async resync(): Promise<void> {
    const networks = await this.bus.call<DhcpNetworkInfo[]>(PLUGIN_TOPIC, 'get_active_networks_info', {
      host: this.host,
    } satisfies DhcpActiveNetworksRequest);
    if (!this.running) return;
    const keep = new Set<string>();
    const hosted = new Set<string>();
    for (const network of networks) {
      hosted.add(network.id);
      // after a resync every served port is reported again (the server may have lost track while we were away)
      if (await this.serve(network, true)) keep.add(network.id);
    }
    for (const id of [...this.known.keys()]) if (!hosted.has(id)) await this.disable(id);
    await this.driver.cleanup(keep);
    this.log.info({ networks: keep.size }, 'synchronized the networks scheduled here');
  }

  private async refresh(networkId: string): Promise<void> {
    const network = await this.bus.call<DhcpNetworkInfo | null>(PLUGIN_TOPIC, 'get_network_info', {
      network_id: networkId,
      host: this.host,
    } satisfies DhcpNetworkInfoRequest);
    if (!this.running) return;
    if (network) await this.serve(network);
    else await this.disable(networkId);
  }

  /**
   * Keeps the network and serves it if it can be (true); marks its new or changed ports ready (every port with
   * `reportAll`). A network that cannot be served is kept unserved, so its port notices need no refetch.
   */
  private async serve(network: DhcpNetworkInfo, reportAll = false): Promise<boolean> {
    const before = this.known.get(network.id);
    const { ports: list, ...info } = network;
    const ports = new Map(list.map((p) => [p.id, p]));
    const served = servable(network);
    if (served) await this.driver.apply(network);
    else if (before?.served) await this.driver.disable(network.id);
    this.known.set(network.id, { info, ports, served });
    for (const id of before?.ports.keys() ?? []) if (!served || !ports.has(id)) this.ready.delete(id);
    if (!served) return false;
    for (const port of list) {
      const old = before?.served ? before.ports.get(port.id) : undefined;
      if (reportAll || !old || leaseKey(old) !== leaseKey(port)) this.ready.add(port.id);
    }
    return true;
  }

  /**
   * Port notices of one network applied to what the agent knows, and the driver told of those ports only. A network
   * it does not know, or a change of its DHCP port (the server's addresses), is refetched instead.
   */
  private async applyPortChanges(networkId: string, changes: Map<string, DhcpPortInfo | null>): Promise<void> {
    const net = this.known.get(networkId);
    const dhcpPortId = net?.info.dhcp_port?.id;
    if (!net || [...changes].some(([id, port]) => id === dhcpPortId || port?.device_owner === DHCP_OWNER)) return this.refresh(networkId);
    const changed: DhcpPortInfo[] = [];
    const removed: string[] = [];
    const fresh: string[] = [];
    for (const [id, port] of changes) {
      const old = net.ports.get(id);
      if (port) {
        net.ports.set(id, port);
        changed.push(port);
        if (!old || leaseKey(old) !== leaseKey(port)) fresh.push(id);
      } else if (old) {
        net.ports.delete(id);
        removed.push(id);
        this.ready.delete(id);
      }
    }
    if (!net.served || (!changed.length && !removed.length)) return;
    await this.driver.applyPorts(networkId, changed, removed, () => ({ ...net.info, ports: [...net.ports.values()] }));
    for (const id of fresh) this.ready.add(id);
  }

  private async disable(networkId: string): Promise<void> {
    await this.driver.disable(networkId);
    const gone = this.known.get(networkId);
    this.known.delete(networkId);
    for (const id of gone?.ports.keys() ?? []) this.ready.delete(id);
  }

  /** dhcp_ready_on_ports in batches; what the server did not take is sent with the next pass. */
  private async flushReady(): Promise<void> {
    while (this.ready.size && this.running) {
      const batch = [...this.ready].slice(0, READY_BATCH);
      await this.bus.call(PLUGIN_TOPIC, 'dhcp_ready_on_ports', { port_ids: batch } satisfies DhcpReadyRequest);
      for (const id of batch) this.ready.delete(id);
      this.log.debug({ port_ids: batch }, 'DHCP configuration for ports is complete');
    }
  }
}

/** What a port's lease depends on: a change re-reports it (the server blocks it again when its IPs or MAC change). */
function leaseKey(port: DhcpPortInfo): string {
  return JSON.stringify([port.mac_address, port.fixed_ips, port.extra_dhcp_opts, port.admin_state_up]);
}

/** A port notice crossed a transport as JSON: what the lease table relies on. */
function isPortInfo(port: unknown): port is DhcpPortInfo {
  const p = port as Partial<DhcpPortInfo> | null | undefined;
  return (
    typeof p?.id === 'string' &&
    typeof p.mac_address === 'string' &&
    typeof p.device_owner === 'string' &&
    Array.isArray(p.fixed_ips) &&
    Array.isArray(p.extra_dhcp_opts)
  );
}
