import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GroupStore } from '../services/group.store.js';
import type { ValidToken } from '../services/token.service.js';
import { Caller } from './caller.js';
import { requireAdmin, requireAdminOrSelf } from './policy.js';
import { defaultDomainOf } from './projects.controller.js';
import { type Query as Q, queryValue } from './query.js';
import { Renderer } from './renderer.js';
import { groupCreate, groupUpdate } from './request-bodies.js';

/** Groups, their members (GET/HEAD/PUT/DELETE /v3/groups/{g}/users/{u}) and a user's groups. */
@Controller('v3')
export class GroupsController {
  constructor(
    @Inject(GroupStore) private readonly groups: GroupStore,
    @Inject(Renderer) private readonly render: Renderer,
  ) {}

  @Get('groups')
  async list(@Caller() caller: ValidToken, @Query() q: Q, @Req() req: FastifyRequest) {
    requireAdmin(caller, 'list_groups');
    const rows = await this.groups.list({ name: queryValue(q, 'name'), domain_id: queryValue(q, 'domain_id') });
    return this.render.collection('groups', rows.map((g) => this.render.group(g)), req.url);
  }

  @Post('groups')
  @HttpCode(201)
  async create(@Caller() caller: ValidToken, @Body() body: unknown) {
    requireAdmin(caller, 'create_group');
    const input = groupCreate(body);
    const row = await this.groups.create({ ...input, domain_id: input.domain_id ?? defaultDomainOf(caller) });
    return { group: this.render.group(row) };
  }

  @Get('groups/:id')
  async show(@Caller() caller: ValidToken, @Param('id') id: string) {
    requireAdmin(caller, 'get_group');
    return { group: this.render.group(await this.groups.get(id)) };
  }

  @Patch('groups/:id')
  async update(@Caller() caller: ValidToken, @Param('id') id: string, @Body() body: unknown) {
    requireAdmin(caller, 'update_group');
    const current = await this.groups.get(id);
    return { group: this.render.group(await this.groups.update(id, groupUpdate(body, current))) };
  }

  @Delete('groups/:id')
  @HttpCode(204)
  async remove(@Caller() caller: ValidToken, @Param('id') id: string): Promise<void> {
    requireAdmin(caller, 'delete_group');
    await this.groups.delete(id);
  }

  @Get('groups/:id/users')
  async members(@Caller() caller: ValidToken, @Param('id') id: string, @Req() req: FastifyRequest) {
    requireAdmin(caller, 'list_users_in_group');
    const rows = await this.groups.members(id);
    return this.render.collection('users', rows.map((u) => this.render.user(u)), req.url);
  }

  /** GET and (through fastify's HEAD route) HEAD. */
  @Get('groups/:gid/users/:uid')
  @HttpCode(204)
  async check(@Caller() caller: ValidToken, @Param('gid') gid: string, @Param('uid') uid: string): Promise<void> {
    requireAdmin(caller, 'check_user_in_group');
    await this.groups.checkMember(gid, uid);
  }

  @Put('groups/:gid/users/:uid')
  @HttpCode(204)
  async add(@Caller() caller: ValidToken, @Param('gid') gid: string, @Param('uid') uid: string): Promise<void> {
    requireAdmin(caller, 'add_user_to_group');
    await this.groups.addMember(gid, uid);
  }

  @Delete('groups/:gid/users/:uid')
  @HttpCode(204)
  async removeMember(@Caller() caller: ValidToken, @Param('gid') gid: string, @Param('uid') uid: string): Promise<void> {
    requireAdmin(caller, 'remove_user_from_group');
    await this.groups.removeMember(gid, uid);
  }

  @Get('users/:id/groups')
  async groupsOfUser(@Caller() caller: ValidToken, @Param('id') id: string, @Req() req: FastifyRequest) {
    requireAdminOrSelf(caller, 'list_groups_for_user', id);
    const rows = await this.groups.groupsOf(id);
    return this.render.collection('groups', rows.map((g) => this.render.group(g)), req.url);
  }
}
