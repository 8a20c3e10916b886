import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { validationError } from '../keystone-error.js';
import { type AssignmentView, AssignmentListService } from '../services/assignment-list.service.js';
import { CatalogService } from '../services/catalog.service.js';
import type { ValidToken } from '../services/token.service.js';
import { Caller } from './caller.js';
import { requireAdmin } from './policy.js';
import { type Query as Q, queryFlag, queryValue } from './query.js';
import { Renderer } from './renderer.js';

@Controller('v3/role_assignments')
export class RoleAssignmentsController {
  constructor(
    @Inject(AssignmentListService) private readonly list: AssignmentListService,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(Renderer) private readonly render: Renderer,
  ) {}

  @Get()
  async get(@Caller() caller: ValidToken, @Query() q: Q, @Req() req: FastifyRequest) {
    requireAdmin(caller, 'list_role_assignments');
    const filter = {
      userId: queryValue(q, 'user.id'),
      groupId: queryValue(q, 'group.id'),
      roleId: queryValue(q, 'role.id'),
      projectId: queryValue(q, 'scope.project.id'),
      domainId: queryValue(q, 'scope.domain.id'),
      system: queryValue(q, 'scope.system'),
    };
    const effective = queryFlag(q, 'effective');
    checkCombinations(q, filter, effective);
    // No inherited assignments exist here, so filtering on them matches nothing.
    const none = queryValue(q, 'scope.OS-INHERIT:inherited_to') !== undefined;
    const rows = none ? [] : await this.list.list(filter, { effective, includeNames: queryFlag(q, 'include_names') });
    return this.render.collection('role_assignments', rows.map((v) => this.view(v)), req.url);
  }

  private view(v: AssignmentView) {
    const target = v.scopeType === 'system' ? 'system' : `${v.scopeType}s/${v.scope.id}`;
    const scope = v.scopeType === 'system' ? { system: { all: true } } : { [v.scopeType]: v.scope };
    const base = this.catalog.publicUrl();
    const actor = v.viaGroupId ? `groups/${v.viaGroupId}` : v.group ? `groups/${v.group.id}` : `users/${v.user!.id}`;
    const links: Record<string, string> = { assignment: `${base}/${target}/${actor}/roles/${v.priorRoleId ?? v.role.id}` };
    if (v.priorRoleId) links.prior_role = `${base}/prior_role/${v.priorRoleId}/implies/${v.role.id}`;
    if (v.viaGroupId) links.membership = `${base}/groups/${v.viaGroupId}/users/${v.user!.id}`;
    return { scope, ...(v.group ? { group: v.group } : { user: v.user }), role: v.role, links };
  }
}

/** Keystone's _assert_* checks of contradictory filters. */
function checkCombinations(q: Q, f: { projectId?: string; domainId?: string; system?: string; userId?: string }, effective: boolean): void {
  if (f.domainId && f.projectId) throw validationError('Specify a domain or project, not both');
  if (f.domainId && f.system) throw validationError('Specify system or domain, not both');
  if (f.projectId && f.system) throw validationError('Specify system or project, not both');
  if (f.userId && queryValue(q, 'group.id')) throw validationError('Specify a user or group, not both');
  if (effective && queryValue(q, 'group.id')) {
    throw validationError('Combining effective and group filter will always result in an empty list.');
  }
}
