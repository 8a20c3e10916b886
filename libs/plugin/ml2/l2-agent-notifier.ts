import { Inject, Injectable, Logger } from '@nestjs/common';
import { BUS, type Bus } from '../../bus/bus.contract.js';
import {
  L2_AGENT_FANOUT,
  type NetworkDeleteNotice,
  type PortDeleteNotice,
  type PortUpdateNotice,
  tapDevice,
} from '../../rpc/l2-agent.contract.js';

/** Server → L2 agents (fanout), after commit. A lost notice is repaired by the agents' resync, so errors only log. */
@Injectable()
export class L2AgentNotifier {
  private readonly logger = new Logger('L2AgentNotifier');

  constructor(@Inject(BUS) private readonly bus: Bus) {}

  portUpdate(port: { id: string; binding_host_id: string; network_id: string; admin_state_up: boolean }): Promise<void> {
    const notice: PortUpdateNotice = {
      port_id: port.id,
      device: tapDevice(port.id),
      host: port.binding_host_id,
      network_id: port.network_id,
      admin_state_up: port.admin_state_up,
    };
    return this.send('port_update', notice);
  }

  portDelete(portId: string): Promise<void> {
    const notice: PortDeleteNotice = { port_id: portId, device: tapDevice(portId) };
    return this.send('port_delete', notice);
  }

  networkDelete(networkId: string): Promise<void> {
    const notice: NetworkDeleteNotice = { network_id: networkId };
    return this.send('network_delete', notice);
  }

  private async send(method: string, payload: unknown): Promise<void> {
    try {
      await this.bus.fanout(L2_AGENT_FANOUT, method, payload);
    } catch (err) {
      this.logger.warn(`${method} fanout failed: ${(err as Error).message}`);
    }
  }
}
