import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { countByProject, QuotasService } from '../quotas/quotas.service.js';
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

export const securityGroupEntities = [SecurityGroupEntity, SecurityGroupRuleEntity, DefaultSecurityGroupEntity, PortBindingEntity];
export const securityGroupMigrations = [SecurityGroups1764000003000];

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
    @Inject(QuotasService) private readonly quotas: QuotasService,
    @Inject(SecurityGroupsService) private readonly groups: SecurityGroupsService,
    @Inject(SecurityGroupRulesService) private readonly rules: SecurityGroupRulesService,
  ) {}

  onModuleInit(): void {
    this.registry.addResource(securityGroupDefinition(this.groups));
    this.registry.addResource(securityGroupRuleDefinition(this.rules));
    this.quotas.registerResource('security_group', countByProject(SECURITY_GROUPS_TABLE));
    this.quotas.registerResource('security_group_rule', countByProject(SECURITY_GROUP_RULES_TABLE));
    this.registry.addExtensions('security-group', 'stateful-security-group', 'security-groups-normalized-cidr');
  }
}
