/**
 * The L2 agent of one host (Neutron's CommonAgentLoop with the linuxbridge manager): heartbeats on REPORTS_TOPIC,
 * listens to the server's fanout, and runs a device loop that wires what the host has and tells the server.
 *
 * Notices only mark devices; the loop does the work, one pass at a time, so two notices about one device never
 * race. A pass that fails (the server unreachable, a driver error) makes the next one a full sync, which the poll
 * timer runs: the agent keeps going and catches up.
 */
import { pino, type Logger } from 'pino';
import type { Bus, Subscription } from '../../bus/bus.contract.js';
import { PassQueue } from '../pass-queue.js';
import { StateReporter } from '../state-reporter.js';
import { AGENT_TYPES, PLUGIN_TOPIC } from '../../rpc/agent-state.contract.js';
import {
  L2_AGENT_FANOUT,
  type BoundDevicesRequest,
  type DeviceDetails,
  type DevicesDetailsRequest,
  type DeviceStatusRequest,
  type L2AgentConfigurations,
  type NetworkDeleteNotice,
  type PortDeleteNotice,
  type PortUpdateNotice,
} from '../../rpc/l2-agent.contract.js';
import { batches, planDevice, scanDevices } from './l2-core.js';
import type { DeviceWiring, L2Capabilities, L2Driver } from './l2-driver.js';

export interface L2AgentOptions {
  /** The host this agent serves: ports bound to it are its ports. */
  host: string;
  bus: Bus;
  driver: L2Driver;
  capabilities: L2Capabilities;
  /** Seconds between report_state heartbeats (agents.report_interval). */
  reportIntervalSeconds: number;
  /** Milliseconds between device-loop passes when nothing wakes it (Neutron's polling_interval, 2 s). */
  pollIntervalMs?: number;
  /** Devices per get_devices_details_list call. */
  batchSize?: number;
  log?: Logger;
}

export class L2Agent {
  readonly host: string;
  readonly agentId: string;
  private readonly bus: Bus;
  private readonly driver: L2Driver;
  private readonly caps: L2Capabilities;
  private readonly log: Logger;
  private readonly reporter: StateReporter;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;

  private running = false;
  private subscription: Subscription | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private stopWatching: (() => void) | undefined;

  /** devices wired now, and into what */
  private readonly wired = new Map<string, DeviceWiring>();
  /** devices present on the last pass */
  private previous = new Set<string>();
  /** devices a notice said changed, for the next pass */
  private updated = new Set<string>();
  /** devices the server told us left this host (deleted, moved): unwired without reporting back */
  private readonly leftByServer = new Set<string>();
  private unfinishedRemovals = new Set<string>();
  /**
   * What notices said about devices since the current resync asked for the bound list (true: bound here, false: gone).
   * A notice comes after its commit, so it is never older than the list: it is applied on top of it.
   */
  private noticesDuringResync: Map<string, boolean> | null = null;
  private resyncWanted = true;
  private fullSync = true;
  private readonly passes: PassQueue;

  constructor(opts: L2AgentOptions) {
    this.host = opts.host;
    this.agentId = `lb-${opts.host}`;
    this.bus = opts.bus;
    this.driver = opts.driver;
    this.caps = opts.capabilities;
    this.pollIntervalMs = opts.pollIntervalMs ?? 2000;
    this.batchSize = opts.batchSize ?? 100;
    this.log = (opts.log ?? pino({ level: 'silent' })).child({ agent: 'l2', host: opts.host });
    this.passes = new PassQueue({
      pass: () => this.pass(),
      active: () => this.running,
      onError: (err) => {
        this.fullSync = true;
        this.log.error({ err }, 'device loop failed; full sync on the next pass');
      },
    });
    this.reporter = new StateReporter({
      bus: opts.bus,
      log: this.log,
      intervalMs: opts.reportIntervalSeconds * 1000,
      state: async () => ({ ...AGENT_TYPES.l2, host: this.host, configurations: { ...(await this.configurations()) } }),
      onRevived: () => {
        this.resyncWanted = true;
        this.requestPass();
      },
    });
  }

  /** Subscribes to the server's notices, then heartbeats and syncs in the background (the server may be late). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    // started again after stop(): like a new process, it announces itself and resyncs
    this.resyncWanted = true;
    this.passes.reset();
    this.subscription = await this.bus.subscribe(
      L2_AGENT_FANOUT,
      {
        port_update: (p) => this.onPortUpdate(p as PortUpdateNotice),
        port_delete: (p) => this.onPortDelete(p as PortDeleteNotice),
        network_delete: (p) => this.onNetworkDelete(p as NetworkDeleteNotice),
      },
      { fanout: true },
    );
    this.log.info('L2 agent started');
    void this.reporter.start().then(() => this.requestPass());
    this.stopWatching = this.driver.watchDevices?.(() => this.requestPass());
    this.schedulePoll();
  }

  /**
   * No more heartbeats, notices or passes. A call already sent is not waited for (the server may be gone: that would
   * hold a shutdown for the RPC timeout); its pass stops at the next device. The wiring stays, as Neutron's leaves it.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopWatching?.();
    this.stopWatching = undefined;
    this.reporter.stop();
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    await this.subscription?.close();
    this.subscription = null;
    this.log.info('L2 agent stopped');
  }

  /** What report_state says about this host. */
  async configurations(): Promise<L2AgentConfigurations> {
    return {
      interface_mappings: { ...this.caps.interfaceMappings },
      bridge_mappings: {},
      tunnel_types: [...this.caps.tunnelTypes],
      l2_population: false,
      devices: (await this.driver.listDevices()).length,
      extensions: [],
      driver: this.driver.name,
    };
  }

  /** Resolves once no pass is running or queued. */
  idle(): Promise<void> {
    return this.passes.idle();
  }

  // ---- heartbeat ----

  // ---- notices from the server (they only mark work) ----

  private onPortUpdate(notice: PortUpdateNotice): void {
    if (notice.host === this.host) {
      this.leftByServer.delete(notice.device);
      this.hostSays(notice.device, true);
    } else if (this.knows(notice.device) || this.noticesDuringResync) {
      this.leftByServer.add(notice.device);
      this.hostSays(notice.device, false);
    } else {
      return;
    }
    this.updated.add(notice.device);
    this.requestPass();
  }

  private onPortDelete(notice: PortDeleteNotice): void {
    if (!this.knows(notice.device) && !this.noticesDuringResync) return;
    this.leftByServer.add(notice.device);
    this.hostSays(notice.device, false);
    this.updated.add(notice.device);
    this.requestPass();
  }

  /** Without a hypervisor, the server's notices are what creates and destroys taps. */
  private hostSays(device: string, boundHere: boolean): void {
    if (boundHere) this.driver.deviceBound?.(device);
    else this.driver.deviceGone?.(device);
    this.noticesDuringResync?.set(device, boundHere);
  }

  private knows(device: string): boolean {
    return this.previous.has(device) || this.wired.has(device) || this.updated.has(device);
  }

  private onNetworkDelete(notice: NetworkDeleteNotice): void {
    this.passes.enqueue(async () => {
      for (const [device, w] of this.wired) if (w.network_id === notice.network_id) this.wired.delete(device);
      await this.driver.removeNetwork(notice.network_id);
    });
  }

  // ---- the device loop ----

  private schedulePoll(): void {
    if (!this.running) return;
    this.pollTimer = setTimeout(() => {
      this.requestPass();
      this.schedulePoll();
    }, this.pollIntervalMs);
    this.pollTimer.unref();
  }

  private requestPass(): void {
    this.passes.request();
  }

  private async pass(): Promise<void> {
    if (this.resyncWanted) await this.resync();
    if (!this.running) return;
    const current = new Set(await this.driver.listDevices());
    const updated = this.updated;
    this.updated = new Set();
    const scan = scanDevices({
      previous: this.previous,
      current,
      updated,
      fullSync: this.fullSync,
      unfinishedRemovals: this.unfinishedRemovals,
    });
    const wasFullSync = this.fullSync;
    this.fullSync = false;
    this.previous = scan.current;

    const addedOk = await this.treatDevicesAddedUpdated([...scan.addedOrUpdated]);
    const removedOk = this.running && (await this.treatDevicesRemoved([...scan.removed]));
    if (!addedOk || !removedOk) {
      this.fullSync = true;
      return;
    }
    if (wasFullSync) await this.driver.cleanup();
  }

  /** The server's list of ports bound here; on a simulated host it is the list of taps. The pass is a full sync. */
  private async resync(): Promise<void> {
    const notices = new Map<string, boolean>();
    this.noticesDuringResync = notices;
    try {
      const bound = await this.bus.call<string[]>(PLUGIN_TOPIC, 'get_bound_devices', {
        host: this.host,
      } satisfies BoundDevicesRequest);
      this.driver.devicesBound?.(bound);
      for (const [device, boundHere] of notices) {
        if (boundHere) this.driver.deviceBound?.(device);
        else this.driver.deviceGone?.(device);
      }
    } finally {
      this.noticesDuringResync = null;
    }
    this.resyncWanted = false;
    this.fullSync = true;
  }

  /** Fetches details in batches and wires each device in turn. false: something failed, resync. */
  private async treatDevicesAddedUpdated(devices: string[]): Promise<boolean> {
    let ok = true;
    for (const batch of batches(devices, this.batchSize)) {
      let details: DeviceDetails[];
      try {
        details = await this.bus.call<DeviceDetails[]>(PLUGIN_TOPIC, 'get_devices_details_list', {
          devices: batch,
          agent_id: this.agentId,
          host: this.host,
        } satisfies DevicesDetailsRequest);
      } catch (err) {
        this.log.warn({ err, devices: batch }, 'unable to get port details');
        ok = false;
        continue;
      }
      for (const d of details) {
        if (!this.running) return ok;
        try {
          await this.processDevice(d);
        } catch (err) {
          this.log.warn({ err, device: d.device }, 'failed to process device');
          ok = false;
        }
      }
    }
    return ok;
  }

  private async processDevice(details: DeviceDetails): Promise<void> {
    const plan = planDevice(details, this.wired.get(details.device), this.caps);
    if (plan.unplug) {
      await this.driver.unplugDevice(plan.unplug);
      this.wired.delete(details.device);
    }
    let report = plan.report;
    if (plan.plug) {
      if (await this.driver.plugDevice(plan.plug)) {
        this.wired.set(details.device, plan.plug);
      } else {
        this.wired.delete(details.device);
        report = 'down';
      }
    }
    if (!plan.plug && !plan.unplug && report === null) {
      this.log.debug({ device: details.device }, 'device not bound to this host on the server');
    }
    if (report) await this.reportDevice(details.device, report);
  }

  private async treatDevicesRemoved(devices: string[]): Promise<boolean> {
    const failed = new Set<string>();
    for (const device of devices) {
      if (!this.running) break;
      try {
        const wiring = this.wired.get(device);
        if (wiring) {
          await this.driver.unplugDevice(wiring);
          this.wired.delete(device);
        }
        // the server told us the port left: reporting it down would be noise (or race a delete)
        if (!this.leftByServer.delete(device)) await this.reportDevice(device, 'down');
      } catch (err) {
        this.log.warn({ err, device }, 'error removing device');
        failed.add(device);
      }
    }
    this.unfinishedRemovals = failed;
    return failed.size === 0;
  }

  private async reportDevice(device: string, status: 'up' | 'down'): Promise<void> {
    const request: DeviceStatusRequest = { device, agent_id: this.agentId, host: this.host };
    await this.bus.call(PLUGIN_TOPIC, status === 'up' ? 'update_device_up' : 'update_device_down', request);
  }
}
