import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { ResourceEvents } from '../api/events/resource-events.js';
import { defineDomain } from '../db/index.js';
import { ensureDefaultGroup, portSecurityGroupsFragment } from './port-security-groups.fragment.js';
import { countByProject } from '../api/sql/count-by-project.js';
import { SecurityGroups1764000003000 } from './migrations/1764000003000-security-groups.js';
import { PortSecurityGroupsService } from './port-security-groups.service.js';
import { securityGroupDefinition, securityGroupRuleDefinition } from './security-group.definition.js';
import {
  DefaultSecurityGroupEntity,
  PortBindingEntity,
  SECURITY_GROUP_RULES_TABLE,
  SECURITY_GROUPS_TABLE,
  SecurityGroupEntity,
  SecurityGroupRuleEntity,
} from './security-group.entities.js';
import { SecurityGroupRulesService } from './security-group-rules.service.js';
import { PORT_SECURITY_GROUPS } from './security-groups.contract.js';
import { SecurityGroupsService } from './security-groups.service.js';


/** Security groups and rules; networks and ports reach the default group and the bindings through PORT_SECURITY_GROUPS. */
@Global()
@Module({
  providers: [
    PortSecurityGroupsService,
    { provide: PORT_SECURITY_GROUPS, useExisting: PortSecurityGroupsService },
    SecurityGroupsService,
    SecurityGroupRulesService,
  ],
  exports: [PORT_SECURITY_GROUPS],
})
export class SecurityGroupsModule implements OnModuleInit {
  constructor(
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(ResourceEvents) private readonly events: ResourceEvents,
    @Inject(PortSecurityGroupsService) private readonly portGroups: PortSecurityGroupsService,
    @Inject(SecurityGroupsService) private readonly groups: SecurityGroupsService,
    @Inject(SecurityGroupRulesService) private readonly rules: SecurityGroupRulesService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      definition: securityGroupDefinition(this.groups),
      quota: countByProject(SECURITY_GROUPS_TABLE),
      extensions: ['security-group', 'stateful-security-group', 'security-groups-normalized-cidr'],
    });
    this.registry.register({ definition: securityGroupRuleDefinition(this.rules), quota: countByProject(SECURITY_GROUP_RULES_TABLE) });
    this.registry.extend('ports', portSecurityGroupsFragment(this.portGroups), 'port-security-groups-filtering');
    // Neutron ensures the default group before a port's create too: its read goes out now, the fragment waits for it.
    this.events.subscribe(
      'port',
      'before_create',
      ({ ctx, request }) => {
        this.portGroups.readDefaultEarly(ctx, request?.project_id as string);
        return Promise.resolve();
      },
      { name: 'security-groups' },
    );
    // Neutron's _ensure_default_security_group_handler: a project's first network brings its default group. Its read
    // goes out ahead of the quota's (priority 0), in the same round trip on PostgreSQL; the handler below takes it.
    this.events.subscribe(
      'network',
      'before_create',
      ({ ctx, request }) => {
        this.portGroups.readDefaultEarly(ctx, request?.project_id as string);
        return Promise.resolve();
      },
      { name: 'security-groups', priority: -1 },
    );
    this.events.subscribe(
      'network',
      'before_create',
      async ({ ctx, request }) => {
        await ensureDefaultGroup(this.portGroups, ctx, request?.project_id as string);
      },
      { name: 'security-groups' },
    );
  }
}

export const securityGroupsDomain = defineDomain({
  module: SecurityGroupsModule,
  entities: [SecurityGroupEntity, SecurityGroupRuleEntity, DefaultSecurityGroupEntity, PortBindingEntity],
  migrations: [SecurityGroups1764000003000],
});
