import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { forbiddenAction } from '../keystone-error.js';
import { DEFAULT_DOMAIN_ID } from '../services/domain.store.js';
import { ProjectStore } from '../services/project.store.js';
import type { ValidToken } from '../services/token.service.js';
import { Caller } from './caller.js';
import { isAdmin, requireAdmin } from './policy.js';
import { type Query as Q, queryBoolean, queryValue } from './query.js';
import { Renderer } from './renderer.js';
import { projectCreate, projectUpdate } from './request-bodies.js';

/** Keystone fills a missing domain_id from a domain-scoped token, else the default domain. */
export function defaultDomainOf(caller: ValidToken): string {
  return caller.row.scope_type === 'domain' && caller.row.domain_id ? caller.row.domain_id : DEFAULT_DOMAIN_ID;
}

@Controller('v3/projects')
export class ProjectsController {
  constructor(
    @Inject(ProjectStore) private readonly projects: ProjectStore,
    @Inject(Renderer) private readonly render: Renderer,
  ) {}

  @Get()
  async list(@Caller() caller: ValidToken, @Query() q: Q, @Req() req: FastifyRequest) {
    requireAdmin(caller, 'list_projects');
    // Projects acting as domains are not kept here: asking only for them finds none.
    if (queryBoolean(q, 'is_domain') === true) return this.render.collection('projects', [], req.url);
    const rows = await this.projects.list({
      name: queryValue(q, 'name'),
      domain_id: queryValue(q, 'domain_id'),
      enabled: queryBoolean(q, 'enabled'),
      parent_id: queryValue(q, 'parent_id'),
    });
    return this.render.collection('projects', rows.map((p) => this.render.project(p)), req.url);
  }

  @Post()
  @HttpCode(201)
  async create(@Caller() caller: ValidToken, @Body() body: unknown) {
    requireAdmin(caller, 'create_project');
    const input = projectCreate(body);
    const domainId = input.domain_id || defaultDomainOf(caller);
    const row = await this.projects.create({ ...input, domain_id: domainId });
    return { project: this.render.project(row) };
  }

  /** Readable by admins and by a token scoped to the project. */
  @Get(':id')
  async show(@Caller() caller: ValidToken, @Param('id') id: string) {
    if (!isAdmin(caller) && caller.context.project_id !== id) throw forbiddenAction('identity:get_project');
    return { project: this.render.project(await this.projects.get(id)) };
  }

  @Patch(':id')
  async update(@Caller() caller: ValidToken, @Param('id') id: string, @Body() body: unknown) {
    requireAdmin(caller, 'update_project');
    const current = await this.projects.get(id);
    return { project: this.render.project(await this.projects.update(id, projectUpdate(body, current))) };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Caller() caller: ValidToken, @Param('id') id: string): Promise<void> {
    requireAdmin(caller, 'delete_project');
    await this.projects.delete(id);
  }
}
