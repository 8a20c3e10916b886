import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { defineDomain } from '../../db/index.js';
import { PortBindingEntity } from './binding/port-binding.entity.js';
import { PortBindingFragment } from './binding/port-binding.fragment.js';
import { LinuxbridgeMechanismDriver } from './drivers/linuxbridge.driver.js';
import { L2AgentNotifier } from './l2-agent-notifier.js';
import type { MechanismDriver } from './mechanism-driver.js';
import { MechanismManager } from './mechanism-manager.js';
import { Ml21764000006000 } from './migrations/1764000006000-ml2.js';
import { Ml2PortBindings1764000009100 } from './migrations/1764000009100-ml2-port-bindings.js';
import { ml2Entities } from './ml2.entities.js';
import { Ml2Subscribers } from './ml2-subscribers.js';
import { PortBinder } from './port-binder.js';
import { PortBindingsService } from './binding/port-bindings.service.js';
import { PortStatusService } from './port-status.service.js';
import { L2AgentRpcService } from './rpc/l2-agent-rpc.service.js';
import { PluginRpcEndpoints } from './rpc/plugin-rpc-endpoints.js';

const MECHANISM_DRIVERS: Record<string, () => MechanismDriver> = {
  linuxbridge: () => new LinuxbridgeMechanismDriver(),
};

export function mechanismDrivers(names: string[]): MechanismDriver[] {
  return names.map((name) => {
    const make = MECHANISM_DRIVERS[name];
    if (!make) throw new Error(`ml2.mechanism_drivers: unknown driver '${name}' (known: ${Object.keys(MECHANISM_DRIVERS).join(', ')})`);
    return make();
  });
}

/**
 * ML2 around the core resources: mechanism drivers (run by ML2's resource-event subscribers), the `binding:*`
 * fragment on ports, port status, binding-extended and the L2 agents' RPC.
 */
@Global()
@Module({
  providers: [
    {
      provide: MechanismManager,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new MechanismManager(mechanismDrivers(config.ml2.mechanism_drivers)),
    },
    PortBinder,
    PortBindingFragment,
    PortStatusService,
    L2AgentNotifier,
    Ml2Subscribers,
    PluginRpcEndpoints,
    L2AgentRpcService,
    PortBindingsService,
  ],
  exports: [MechanismManager, PortStatusService, L2AgentNotifier, PluginRpcEndpoints],
})
export class Ml2Module implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(PortBindingsService) private readonly bindings: PortBindingsService,
    @Inject(PortBindingFragment) private readonly binding: PortBindingFragment,
    @Inject(Ml2Subscribers) private readonly subscribers: Ml2Subscribers,
  ) {}

  onModuleInit(): void {
    this.registry.extend('ports', this.binding.fragment(), 'binding');
    this.registry.register({ definition: this.bindings.definition(), extensions: ['binding-extended'] });
    this.subscribers.subscribe();
  }
}

export const ml2Domain = defineDomain({
  module: Ml2Module,
  entities: [...ml2Entities, PortBindingEntity],
  migrations: [Ml21764000006000, Ml2PortBindings1764000009100],
});
