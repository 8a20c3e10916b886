import { Global, Inject, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../../api/engine/resource-registry.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import type { ApiObject, RequestContext } from '../../api/resource/resource-definition.js';
import { PORT_LIFECYCLE } from '../ports/port-lifecycle.contract.js';
import { LinuxbridgeMechanismDriver } from './drivers/linuxbridge.driver.js';
import { L2AgentNotifier } from './l2-agent-notifier.js';
import type { MechanismDriver, ResourceKind } from './mechanism-driver.js';
import { withMechanismHooks } from './mechanism-hooks.js';
import { MechanismManager } from './mechanism-manager.js';
import { Ml21764000006000 } from './migrations/1764000006000-ml2.js';
import { ml2Entities } from './ml2.entities.js';
import { Ml2PortLifecycle } from './ml2-port-lifecycle.js';
import { PortBinder } from './port-binder.js';
import { PortBindingsHandler } from './port-bindings.handler.js';
import { PortStatusService } from './port-status.service.js';
import { L2AgentRpcService } from './rpc/l2-agent-rpc.service.js';
import { PluginRpcEndpoints } from './rpc/plugin-rpc-endpoints.js';

export { ml2Entities };
export const ml2Migrations = [Ml21764000006000];

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

/** ML2 around the core resources: mechanism drivers, port binding and status, the L2 agents' RPC. */
@Global()
@Module({
  providers: [
    {
      provide: MechanismManager,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new MechanismManager(mechanismDrivers(config.ml2.mechanism_drivers)),
    },
    PortBinder,
    PortStatusService,
    L2AgentNotifier,
    Ml2PortLifecycle,
    { provide: PORT_LIFECYCLE, useExisting: Ml2PortLifecycle },
    PluginRpcEndpoints,
    L2AgentRpcService,
    PortBindingsHandler,
  ],
  exports: [MechanismManager, PORT_LIFECYCLE, PortStatusService, L2AgentNotifier, PluginRpcEndpoints],
})
export class Ml2Module implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(PortBindingsHandler) private readonly bindings: PortBindingsHandler,
    @Inject(MechanismManager) private readonly mechanisms: MechanismManager,
    @Inject(L2AgentNotifier) private readonly agents: L2AgentNotifier,
  ) {}

  onModuleInit(): void {
    this.registry.addSubResource('ports', 'bindings', (req, id, rest) => this.bindings.handle(req, id, rest));
    this.registry.addExtensions('binding-extended');
  }

  /** Networks and subnets get the drivers' hooks once every module has registered its resources (ports call ML2 themselves). */
  onApplicationBootstrap(): void {
    const kinds: [string, ResourceKind][] = [
      ['networks', 'Network'],
      ['subnets', 'Subnet'],
    ];
    for (const [path, kind] of kinds) {
      const def = this.registry.resourceAt(path);
      if (!def) continue;
      const onDeleted =
        kind === 'Network' ? (ctx: RequestContext, net: ApiObject) => ctx.afterCommit(() => this.agents.networkDelete(net.id as string)) : undefined;
      def.service = withMechanismHooks(def.service, kind, this.mechanisms, onDeleted);
    }
  }
}
