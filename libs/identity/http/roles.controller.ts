import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RoleStore } from '../services/role.store.js';
import type { ValidToken } from '../services/token.service.js';
import { Caller } from './caller.js';
import { requireAdmin } from './policy.js';
import { type Query as Q, queryValue } from './query.js';
import { Renderer } from './renderer.js';
import { roleCreate, roleUpdate } from './request-bodies.js';

@Controller('v3/roles')
export class RolesController {
  constructor(
    @Inject(RoleStore) private readonly roles: RoleStore,
    @Inject(Renderer) private readonly render: Renderer,
  ) {}

  @Get()
  async list(@Caller() caller: ValidToken, @Query() q: Q, @Req() req: FastifyRequest) {
    requireAdmin(caller, 'list_roles');
    // `domain_id` lists a domain's own roles, and every role here is global.
    if (queryValue(q, 'domain_id')) return this.render.collection('roles', [], req.url);
    const rows = await this.roles.list({ name: queryValue(q, 'name') });
    return this.render.collection('roles', rows.map((r) => this.render.role(r)), req.url);
  }

  @Post()
  @HttpCode(201)
  async create(@Caller() caller: ValidToken, @Body() body: unknown) {
    requireAdmin(caller, 'create_role');
    return { role: this.render.role(await this.roles.create(roleCreate(body))) };
  }

  @Get(':id')
  async show(@Caller() caller: ValidToken, @Param('id') id: string) {
    requireAdmin(caller, 'get_role');
    return { role: this.render.role(await this.roles.get(id)) };
  }

  @Patch(':id')
  async update(@Caller() caller: ValidToken, @Param('id') id: string, @Body() body: unknown) {
    requireAdmin(caller, 'update_role');
    return { role: this.render.role(await this.roles.update(id, roleUpdate(body, id))) };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Caller() caller: ValidToken, @Param('id') id: string): Promise<void> {
    requireAdmin(caller, 'delete_role');
    await this.roles.delete(id);
  }
}
