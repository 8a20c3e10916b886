import { Inject, Injectable } from '@nestjs/common';
import { ALL_WRITES, ResourceEvents, type ResourcePayload } from '../../api/events/resource-events.js';
import type { ApiObject } from '../../api/resource/resource-definition.js';
import { PortBindingFragment } from './binding/port-binding.fragment.js';
import { L2AgentNotifier } from './l2-agent-notifier.js';
import type { ResourceKind } from './mechanism-driver.js';
import { MechanismManager } from './mechanism-manager.js';

/** ML2 runs before other subscribers of the same event (Neutron calls the mechanism drivers inside the plug-in). */
export const ML2_PRIORITY = 100;

const KINDS: [string, ResourceKind][] = [
  ['network', 'Network'],
  ['subnet', 'Subnet'],
  ['port', 'Port'],
];

/** A port status report from an agent: not a change the drivers or the agents need to hear about again. */
const statusOnly = (p: ResourcePayload) => p.metadata?.statusOnly === true;

/**
 * ML2 as a subscriber of the core resources' events: the mechanism drivers' pre/post-commit hooks, the bound-port
 * MAC rule, and the L2 agents' notices (port_update, port_delete, network_delete).
 */
@Injectable()
export class Ml2Subscribers {
  constructor(
    @Inject(ResourceEvents) private readonly events: ResourceEvents,
    @Inject(MechanismManager) private readonly mechanisms: MechanismManager,
    @Inject(L2AgentNotifier) private readonly agents: L2AgentNotifier,
    @Inject(PortBindingFragment) private readonly binding: PortBindingFragment,
  ) {}

  subscribe(): void {
    const opts = { name: 'ml2', priority: ML2_PRIORITY };
    for (const [resource, kind] of KINDS) {
      for (const op of ALL_WRITES) {
        this.events.subscribe(
          resource,
          `precommit_${op}`,
          (p) => this.mechanisms.precommit(p.ctx, op, kind, (p.latest ?? p.original)!, p.latest ? p.original : undefined),
          opts,
        );
        this.events.subscribe(
          resource,
          `after_${op}`,
          async (p) => {
            if (!statusOnly(p)) await this.mechanisms.postcommit(op, kind, (p.latest ?? p.original)!, p.latest ? p.original : undefined);
          },
          opts,
        );
      }
    }
    this.events.subscribe('port', 'before_update', (p) => this.binding.checkMacUpdate(p.original!, p.request!), opts);
    this.events.subscribe('port', 'after_create', (p) => this.portWritten(p.latest!), opts);
    this.events.subscribe(
      'port',
      'after_update',
      async (p) => {
        // The old host's agent unwires a port that moved away; the new host's agent wires it.
        if (!statusOnly(p) && (p.original!['binding:host_id'] || p.latest!['binding:host_id'])) await this.agents.portUpdate(l2View(p.latest!));
      },
      opts,
    );
    this.events.subscribe('port', 'after_delete', (p) => this.agents.portDelete(p.resourceId!), opts);
    this.events.subscribe('network', 'after_delete', (p) => this.agents.networkDelete(p.resourceId!), opts);
  }

  private async portWritten(port: ApiObject): Promise<void> {
    if (port['binding:host_id']) await this.agents.portUpdate(l2View(port));
  }
}

function l2View(port: ApiObject) {
  return {
    id: port.id as string,
    binding_host_id: port['binding:host_id'] as string,
    network_id: port.network_id as string,
    admin_state_up: port.admin_state_up as boolean,
  };
}
