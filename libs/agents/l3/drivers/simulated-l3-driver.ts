/**
 * The `simulated` L3 driver: every router namespace in memory, changed by the same operations the linux driver runs
 * (devices, addresses, routes, the ruleset through an iptables-restore model, gratuitous ARPs counted). No packet
 * flows; what it holds is what a real host would, so `namespace(id)` answers what a router has now.
 */
import { pino, type Logger } from 'pino';
import type { RouterOp } from '../core/router-diff.js';
import type { RouterDevice, RouterRoute } from '../core/router-state.js';
import { IptablesModel } from './iptables-model.js';
import type { L3Driver } from './l3-driver.js';

export interface SimulatedNamespace {
  name: string;
  forwarding: boolean;
  devices: Map<string, { device: Omit<RouterDevice, 'addresses'>; addresses: Set<string> }>;
  /** destination → route */
  routes: Map<string, RouterRoute>;
  iptables: IptablesModel;
  /** addresses announced with a gratuitous ARP, in order */
  garps: string[];
}

export interface SimulatedL3DriverOptions {
  log?: Logger;
}

export class SimulatedL3Driver implements L3Driver {
  readonly name = 'simulated' as const;
  private readonly log: Logger;
  /** router id → its namespace */
  private readonly namespaces = new Map<string, SimulatedNamespace>();

  constructor(opts: SimulatedL3DriverOptions = {}) {
    this.log = (opts.log ?? pino({ level: 'silent' })).child({ driver: 'simulated-l3' });
  }

  async start(): Promise<void> {}

  async apply(routerId: string, ops: readonly RouterOp[]): Promise<void> {
    for (const op of ops) this.run(routerId, op);
  }

  async cleanup(keep: ReadonlySet<string>): Promise<void> {
    for (const id of [...this.namespaces.keys()]) if (!keep.has(id)) this.namespaces.delete(id);
  }

  async stop(): Promise<void> {}

  configurations(): Record<string, unknown> {
    return {};
  }

  /** The router's namespace as it is now (undefined: not built). */
  namespace(routerId: string): SimulatedNamespace | undefined {
    return this.namespaces.get(routerId);
  }

  routers(): string[] {
    return [...this.namespaces.keys()];
  }

  private run(routerId: string, op: RouterOp): void {
    if (op.op === 'create-namespace') {
      if (!this.namespaces.has(routerId)) {
        this.namespaces.set(routerId, { name: op.namespace, forwarding: false, devices: new Map(), routes: new Map(), iptables: new IptablesModel(), garps: [] });
      }
      return;
    }
    if (op.op === 'delete-namespace') {
      this.namespaces.delete(routerId);
      return;
    }
    const ns = this.namespaces.get(routerId);
    if (!ns) throw new Error(`${op.op}: namespace ${op.namespace} does not exist`);
    const device = (name: string) => {
      const found = ns.devices.get(name);
      if (!found) throw new Error(`${op.op}: no device ${name} in ${ns.name}`);
      return found;
    };
    switch (op.op) {
      case 'enable-forwarding':
        ns.forwarding = true;
        return;
      case 'plug-device': {
        if (ns.devices.has(op.device.name)) throw new Error(`plug-device: ${op.device.name} exists in ${ns.name}`);
        const { addresses: _addresses, ...link } = op.device;
        ns.devices.set(op.device.name, { device: link, addresses: new Set() });
        return;
      }
      case 'unplug-device':
        device(op.name);
        ns.devices.delete(op.name);
        for (const [destination, route] of ns.routes) if (route.device === op.name) ns.routes.delete(destination);
        return;
      case 'add-address':
        device(op.device).addresses.add(op.cidr);
        return;
      case 'remove-address':
        device(op.device).addresses.delete(op.cidr);
        return;
      case 'replace-route':
        if (op.route.device) device(op.route.device);
        ns.routes.set(op.route.destination, op.route);
        return;
      case 'delete-route':
        ns.routes.delete(op.route.destination);
        return;
      case 'load-ruleset':
        ns.iptables.restore(op.restore);
        return;
      case 'garp':
        device(op.device);
        ns.garps.push(op.address);
        this.log.debug({ router_id: routerId, address: op.address }, 'gratuitous ARP');
        return;
    }
  }
}
