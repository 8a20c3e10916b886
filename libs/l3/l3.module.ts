import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { countByProject } from '../api/sql/count-by-project.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { defineDomain } from '../db/index.js';
import { floatingIpDefinition, floatingIpPoolAttributes } from './floatingips/floatingip.definition.js';
import { FloatingIpPoolsService, FloatingIpsService } from './floatingips/floatingips.service.js';
import { dvrFragment } from './dvr/dvr.fragment.js';
import { DvrSnatPorts } from './dvr/dvr-snat-ports.js';
import { RouterExtraAttributesEntity } from './dvr/router-extra-attributes.entity.js';
import type { RouterMigration } from './dvr/router-migration.js';
import { L3Ports } from './l3-ports.js';
import { L3Subscribers } from './l3-subscribers.js';
import { FLOATING_IPS_TABLE, FloatingIpEntity, PortForwardingEntity, RouterEntity, RouterPortEntity, RouterRouteEntity, ROUTERS_TABLE } from './l3.entities.js';
import { L31764000010000 } from './migrations/1764000010000-l3.js';
import { PortForwardingRanges1764000010300 } from './migrations/1764000010300-port-forwarding-ranges.js';
import { PortForwardings1764000010100 } from './migrations/1764000010100-port-forwardings.js';
import { RouterExtraAttributes1764000010400 } from './migrations/1764000010400-router-extra-attributes.js';
import { floatingIpPortForwardingsFragment, portForwardingDefinition } from './port-forwardings/port-forwarding.definition.js';
import { PortForwardingsService } from './port-forwardings/port-forwardings.service.js';
import { routerDefinition } from './routers/router.definition.js';
import { RouterInterfaces } from './routers/router-interfaces.service.js';
import { RoutersService } from './routers/routers.service.js';
import { httpNotFound } from '../api/errors/neutron-error.js';
import { L3AgentNotifier } from './rpc/l3-agent-notifier.js';
import { L3_SCHEDULER_ENTITIES, L3_SCHEDULER_MIGRATIONS, L3SchedulerModule } from './scheduler/l3-scheduler.module.js';

/** The L3 service plug-in (Neutron's L3RouterPlugin, server side): routers, their interfaces and routes, floating IPs
 * and their port forwardings. */
@Module({ imports: [L3SchedulerModule], providers: [L3Ports, RoutersService, RouterInterfaces, FloatingIpsService, FloatingIpPoolsService, PortForwardingsService, L3Subscribers, DvrSnatPorts] })
export class L3Module implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(RoutersService) private readonly routers: RoutersService,
    @Inject(RouterInterfaces) private readonly interfaces: RouterInterfaces,
    @Inject(FloatingIpsService) private readonly floatingIps: FloatingIpsService,
    @Inject(FloatingIpPoolsService) private readonly pools: FloatingIpPoolsService,
    @Inject(PortForwardingsService) private readonly portForwardings: PortForwardingsService,
    @Inject(L3Subscribers) private readonly subscribers: L3Subscribers,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(L3AgentNotifier) private readonly notifier: L3AgentNotifier,
    @Inject(DvrSnatPorts) private readonly snatPorts: DvrSnatPorts,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      definition: routerDefinition(this.routers, this.interfaces),
      quota: countByProject(ROUTERS_TABLE),
      extensions: ['router', 'ext-gw-mode', 'extraroute', 'extraroute-atomic', 'router_availability_zone', 'l3-port-ip-change-not-allowed'],
    });
    this.registry.extend(
      'routers',
      dvrFragment({ routerDistributed: this.config.network.router_distributed, migrated: (id, migration) => this.routerMigrated(id, migration) }),
      'dvr',
      'router-admin-state-down-before-update',
    );
    this.registry.register({
      definition: floatingIpDefinition(this.floatingIps),
      quota: countByProject(FLOATING_IPS_TABLE),
      extensions: ['fip-port-details'],
    });
    this.registry.register({
      definition: {
        name: 'floatingip_pool',
        collection: 'floatingip_pools',
        path: 'floatingip-pools',
        attributes: floatingIpPoolAttributes,
        service: this.pools,
        readOnly: true,
        notFound: () => httpNotFound(),
      },
      extensions: ['floatingip-pools'],
    });
    this.registry.register({
      definition: portForwardingDefinition(this.portForwardings),
      extensions: ['floating-ip-port-forwarding', 'floating-ip-port-forwarding-description', 'floating-ip-port-forwarding-port-ranges'],
    });
    this.registry.extend(
      'floatingips',
      floatingIpPortForwardingsFragment((ctx, items, fields) => this.portForwardings.loadForFloatingIps(ctx, items, fields)),
      'expose-port-forwarding-in-fip',
      'floating-ip-port-forwarding-detail',
    );
    this.subscribers.subscribe();
    this.snatPorts.subscribe();
  }

  /** The agents a migrated router left drop it (router_removed_from_agent, this router only); its new kind's agent, if any, is the scheduler's. */
  private routerMigrated(routerId: string, migration: RouterMigration): void {
    for (const agent of migration.unscheduled) if (agent.admin_state_up) void this.notifier.routerRemovedFromAgent(routerId, agent.host);
  }
}

export const l3Domain = defineDomain({
  module: L3Module,
  entities: [RouterEntity, RouterPortEntity, RouterRouteEntity, FloatingIpEntity, PortForwardingEntity, RouterExtraAttributesEntity, ...L3_SCHEDULER_ENTITIES],
  migrations: [L31764000010000, PortForwardings1764000010100, PortForwardingRanges1764000010300, RouterExtraAttributes1764000010400, ...L3_SCHEDULER_MIGRATIONS],
});
