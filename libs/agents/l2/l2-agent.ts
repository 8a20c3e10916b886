/**
 * The L2 agent of one host (Neutron's CommonAgentLoop with the linuxbridge manager) on the AgentSkeleton (heartbeat,
 * subscriptions, resync, the pass lane): listens to the server's fanout, and runs a device loop that wires what the
 * host has and tells the server.
 *
 * Notices only mark devices; the loop does the work, one pass at a time, so two notices about one device never
 * race. A pass that fails (the server unreachable, a driver error) makes the next one a full sync, which the poll
 * timer runs: the agent keeps going and catches up.
 */
import type { Logger } from 'pino';
import type { Bus } from '../../bus/bus.contract.js';
import { AgentSkeleton, type AgentReport, type AgentSubscription } from '../common/agent-skeleton.js';
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
import { batches, planDevice, scanDevices } from './core/l2-core.js';
import type { DeviceWiring, L2Capabilities, L2Driver } from './drivers/l2-driver.js';

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

export class L2Agent extends AgentSkeleton {
  readonly agentId: string;
  private readonly driver: L2Driver;
  private readonly caps: L2Capabilities;
  private readonly batchSize: number;
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
  private fullSync = true;

  constructor(opts: L2AgentOptions) {
    super({
      agent: 'l2',
      host: opts.host,
      bus: opts.bus,
      log: opts.log,
      reportIntervalSeconds: opts.reportIntervalSeconds,
      pollIntervalMs: opts.pollIntervalMs ?? 2000,
    });
    this.agentId = `lb-${opts.host}`;
    this.driver = opts.driver;
    this.caps = opts.capabilities;
    this.batchSize = opts.batchSize ?? 100;
  }

  // ---- the skeleton's questions ----

  protected async state(): Promise<AgentReport> {
    return { ...AGENT_TYPES.l2, host: this.host, configurations: { ...(await this.configurations()) } };
  }

  protected subscriptions(): AgentSubscription[] {
    const handlers = {
      port_update: (p: unknown) => this.onPortUpdate(p as PortUpdateNotice),
      port_delete: (p: unknown) => this.onPortDelete(p as PortDeleteNotice),
      network_delete: (p: unknown) => this.onNetworkDelete(p as NetworkDeleteNotice),
    };
    return [{ topic: L2_AGENT_FANOUT, handlers, fanout: true }];
  }

  protected passFailed(err: unknown): void {
    this.fullSync = true;
    this.log.error({ err }, 'device loop failed; full sync on the next pass');
  }

  protected override started(): void {
    this.log.info('L2 agent started');
    this.stopWatching = this.driver.watchDevices?.((deleted) => {
      // it may be back under the same name by the next pass: the name alone would not show it needs wiring again
      if (deleted) this.updated.add(deleted);
      this.requestPass();
    });
  }

  /** The driver removes what it made when dataplane.cleanup_on_stop says so; else the wiring stays, as Neutron's. */
  protected override async stopped(): Promise<void> {
    this.stopWatching?.();
    this.stopWatching = undefined;
    await this.driver.release?.().catch((err: unknown) => this.log.warn({ err }, 'removing the devices this agent made failed'));
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
    this.enqueue(async () => {
      for (const [device, w] of this.wired) if (w.network_id === notice.network_id) this.wired.delete(device);
      await this.driver.removeNetwork(notice.network_id);
    });
  }

  // ---- the device loop ----

  /** One pass of the device loop (after the resync when one is due). */
  protected async pass(): Promise<void> {
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
  protected async resync(): Promise<void> {
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
