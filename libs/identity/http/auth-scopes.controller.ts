import { Controller, Get, Inject, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { forbidden } from '../keystone-error.js';
import { AssignmentStore } from '../services/assignment.store.js';
import { CatalogService } from '../services/catalog.service.js';
import { DomainStore } from '../services/domain.store.js';
import type { ValidToken } from '../services/token.service.js';
import { UserStore } from '../services/user.store.js';
import { Caller } from './caller.js';
import { Renderer } from './renderer.js';

/** What the caller's token may be scoped to, and its catalog. */
@Controller('v3/auth')
export class AuthScopesController {
  constructor(
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(UserStore) private readonly users: UserStore,
    @Inject(DomainStore) private readonly domains: DomainStore,
    @Inject(AssignmentStore) private readonly assignments: AssignmentStore,
    @Inject(Renderer) private readonly render: Renderer,
  ) {}

  @Get('catalog')
  catalogOf(@Caller() caller: ValidToken, @Req() req: FastifyRequest) {
    // Keystone: "A project-scoped token is required to produce a service catalog." (a Forbidden, message hidden)
    if (caller.row.scope_type !== 'project') throw forbidden();
    return { catalog: this.catalog.catalog(), links: { self: this.render.links(req.url).self } };
  }

  @Get('projects')
  async projects(@Caller() caller: ValidToken, @Req() req: FastifyRequest) {
    const projects = await this.users.projectsOf(caller.row.user_id);
    return this.render.collection('projects', projects.map((p) => this.render.project(p)), req.url);
  }

  @Get('domains')
  async domainsOf(@Caller() caller: ValidToken, @Req() req: FastifyRequest) {
    const domains = await this.domains.byIds(await this.assignments.domainIdsOf(caller.row.user_id));
    return this.render.collection('domains', domains.map((d) => this.render.domain(d)), req.url);
  }

  @Get('system')
  async system(@Caller() caller: ValidToken, @Req() req: FastifyRequest) {
    const has = await this.assignments.systemRoleOf(caller.row.user_id);
    return { system: has ? [{ all: true }] : [], links: { self: this.render.links(req.url).self } };
  }
}
