import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ValidToken } from '../services/token.service.js';
import { UserStore } from '../services/user.store.js';
import { Caller, Public } from './caller.js';
import { requireAdmin, requireAdminOrSelf } from './policy.js';
import { defaultDomainOf } from './projects.controller.js';
import { type Query as Q, queryBoolean, queryValue } from './query.js';
import { Renderer } from './renderer.js';
import { passwordChange, userCreate, userUpdate } from './request-bodies.js';

@Controller('v3/users')
export class UsersController {
  constructor(
    @Inject(UserStore) private readonly users: UserStore,
    @Inject(Renderer) private readonly render: Renderer,
  ) {}

  @Get()
  async list(@Caller() caller: ValidToken, @Query() q: Q, @Req() req: FastifyRequest) {
    requireAdmin(caller, 'list_users');
    const rows = await this.users.list({
      name: queryValue(q, 'name'),
      domain_id: queryValue(q, 'domain_id'),
      enabled: queryBoolean(q, 'enabled'),
    });
    return this.render.collection('users', rows.map((u) => this.render.user(u)), req.url);
  }

  @Post()
  @HttpCode(201)
  async create(@Caller() caller: ValidToken, @Body() body: unknown) {
    requireAdmin(caller, 'create_user');
    const input = userCreate(body);
    const row = await this.users.create({ ...input, domain_id: input.domain_id ?? defaultDomainOf(caller) });
    return { user: this.render.user(row) };
  }

  @Get(':id')
  async show(@Caller() caller: ValidToken, @Param('id') id: string) {
    requireAdminOrSelf(caller, 'get_user', id);
    return { user: this.render.user(await this.users.get(id)) };
  }

  @Patch(':id')
  async update(@Caller() caller: ValidToken, @Param('id') id: string, @Body() body: unknown) {
    requireAdmin(caller, 'update_user');
    const current = await this.users.get(id);
    return { user: this.render.user(await this.users.update(id, userUpdate(body, current))) };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Caller() caller: ValidToken, @Param('id') id: string): Promise<void> {
    requireAdmin(caller, 'delete_user');
    await this.users.delete(id);
  }

  @Get(':id/projects')
  async projects(@Caller() caller: ValidToken, @Param('id') id: string, @Req() req: FastifyRequest) {
    requireAdminOrSelf(caller, 'list_user_projects', id);
    const rows = await this.users.projectsOf(id);
    return this.render.collection('projects', rows.map((p) => this.render.project(p)), req.url);
  }

  /** Self-service password change: authenticated by the original password, not by a token. */
  @Public()
  @Post(':id/password')
  @HttpCode(204)
  async changePassword(@Param('id') id: string, @Body() body: unknown): Promise<void> {
    const { original, password } = passwordChange(body);
    await this.users.changePassword(id, original, password);
  }
}
