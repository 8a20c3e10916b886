import { Controller, Delete, Get, HttpCode, Inject, Param, Put, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { SYSTEM_ALL } from '../entities/role-assignment.entity.js';
import { type Actor, AssignmentStore, type Target } from '../services/assignment.store.js';
import type { ValidToken } from '../services/token.service.js';
import { Caller } from './caller.js';
import { requireAdmin } from './policy.js';
import { Renderer } from './renderer.js';

const project = (id: string): Target => ({ type: 'project', id });
const domain = (id: string): Target => ({ type: 'domain', id });
const system: Target = { type: 'system', id: SYSTEM_ALL };
const user = (id: string): Actor => ({ kind: 'user', id });
const group = (id: string): Actor => ({ kind: 'group', id });

/** Role grants of a user (on a project, a domain or the system) or a group (project, domain): list, check (GET/HEAD), grant (PUT), revoke. */
@Controller('v3')
export class GrantsController {
  constructor(
    @Inject(AssignmentStore) private readonly assignments: AssignmentStore,
    @Inject(Renderer) private readonly render: Renderer,
  ) {}

  @Get('projects/:pid/users/:uid/roles')
  listOnProject(@Caller() c: ValidToken, @Param('pid') pid: string, @Param('uid') uid: string, @Req() req: FastifyRequest) {
    return this.list(c, user(uid), project(pid), req);
  }

  @Get('projects/:pid/users/:uid/roles/:rid')
  @HttpCode(204)
  checkOnProject(@Caller() c: ValidToken, @Param('pid') pid: string, @Param('uid') uid: string, @Param('rid') rid: string) {
    return this.check(c, user(uid), project(pid), rid);
  }

  @Put('projects/:pid/users/:uid/roles/:rid')
  @HttpCode(204)
  grantOnProject(@Caller() c: ValidToken, @Param('pid') pid: string, @Param('uid') uid: string, @Param('rid') rid: string) {
    return this.grant(c, user(uid), project(pid), rid);
  }

  @Delete('projects/:pid/users/:uid/roles/:rid')
  @HttpCode(204)
  revokeOnProject(@Caller() c: ValidToken, @Param('pid') pid: string, @Param('uid') uid: string, @Param('rid') rid: string) {
    return this.revoke(c, user(uid), project(pid), rid);
  }

  @Get('domains/:did/users/:uid/roles')
  listOnDomain(@Caller() c: ValidToken, @Param('did') did: string, @Param('uid') uid: string, @Req() req: FastifyRequest) {
    return this.list(c, user(uid), domain(did), req);
  }

  @Get('domains/:did/users/:uid/roles/:rid')
  @HttpCode(204)
  checkOnDomain(@Caller() c: ValidToken, @Param('did') did: string, @Param('uid') uid: string, @Param('rid') rid: string) {
    return this.check(c, user(uid), domain(did), rid);
  }

  @Put('domains/:did/users/:uid/roles/:rid')
  @HttpCode(204)
  grantOnDomain(@Caller() c: ValidToken, @Param('did') did: string, @Param('uid') uid: string, @Param('rid') rid: string) {
    return this.grant(c, user(uid), domain(did), rid);
  }

  @Delete('domains/:did/users/:uid/roles/:rid')
  @HttpCode(204)
  revokeOnDomain(@Caller() c: ValidToken, @Param('did') did: string, @Param('uid') uid: string, @Param('rid') rid: string) {
    return this.revoke(c, user(uid), domain(did), rid);
  }

  @Get('system/users/:uid/roles')
  listOnSystem(@Caller() c: ValidToken, @Param('uid') uid: string, @Req() req: FastifyRequest) {
    return this.list(c, user(uid), system, req);
  }

  @Get('system/users/:uid/roles/:rid')
  @HttpCode(204)
  checkOnSystem(@Caller() c: ValidToken, @Param('uid') uid: string, @Param('rid') rid: string) {
    return this.check(c, user(uid), system, rid);
  }

  @Put('system/users/:uid/roles/:rid')
  @HttpCode(204)
  grantOnSystem(@Caller() c: ValidToken, @Param('uid') uid: string, @Param('rid') rid: string) {
    return this.grant(c, user(uid), system, rid);
  }

  @Delete('system/users/:uid/roles/:rid')
  @HttpCode(204)
  revokeOnSystem(@Caller() c: ValidToken, @Param('uid') uid: string, @Param('rid') rid: string) {
    return this.revoke(c, user(uid), system, rid);
  }

  @Get('projects/:pid/groups/:gid/roles')
  listGroupOnProject(@Caller() c: ValidToken, @Param('pid') pid: string, @Param('gid') gid: string, @Req() req: FastifyRequest) {
    return this.list(c, group(gid), project(pid), req);
  }

  @Get('projects/:pid/groups/:gid/roles/:rid')
  @HttpCode(204)
  checkGroupOnProject(@Caller() c: ValidToken, @Param('pid') pid: string, @Param('gid') gid: string, @Param('rid') rid: string) {
    return this.check(c, group(gid), project(pid), rid);
  }

  @Put('projects/:pid/groups/:gid/roles/:rid')
  @HttpCode(204)
  grantGroupOnProject(@Caller() c: ValidToken, @Param('pid') pid: string, @Param('gid') gid: string, @Param('rid') rid: string) {
    return this.grant(c, group(gid), project(pid), rid);
  }

  @Delete('projects/:pid/groups/:gid/roles/:rid')
  @HttpCode(204)
  revokeGroupOnProject(@Caller() c: ValidToken, @Param('pid') pid: string, @Param('gid') gid: string, @Param('rid') rid: string) {
    return this.revoke(c, group(gid), project(pid), rid);
  }

  @Get('domains/:did/groups/:gid/roles')
  listGroupOnDomain(@Caller() c: ValidToken, @Param('did') did: string, @Param('gid') gid: string, @Req() req: FastifyRequest) {
    return this.list(c, group(gid), domain(did), req);
  }

  @Get('domains/:did/groups/:gid/roles/:rid')
  @HttpCode(204)
  checkGroupOnDomain(@Caller() c: ValidToken, @Param('did') did: string, @Param('gid') gid: string, @Param('rid') rid: string) {
    return this.check(c, group(gid), domain(did), rid);
  }

  @Put('domains/:did/groups/:gid/roles/:rid')
  @HttpCode(204)
  grantGroupOnDomain(@Caller() c: ValidToken, @Param('did') did: string, @Param('gid') gid: string, @Param('rid') rid: string) {
    return this.grant(c, group(gid), domain(did), rid);
  }

  @Delete('domains/:did/groups/:gid/roles/:rid')
  @HttpCode(204)
  revokeGroupOnDomain(@Caller() c: ValidToken, @Param('did') did: string, @Param('gid') gid: string, @Param('rid') rid: string) {
    return this.revoke(c, group(gid), domain(did), rid);
  }

  private async list(caller: ValidToken, actor: Actor, target: Target, req: FastifyRequest) {
    requireAdmin(caller, target.type === 'system' ? 'list_system_grants_for_user' : 'list_grants');
    const roles = await this.assignments.listGrants(actor, target);
    return this.render.collection('roles', roles.map((r) => this.render.role(r)), req.url);
  }

  private async check(caller: ValidToken, actor: Actor, target: Target, roleId: string): Promise<void> {
    requireAdmin(caller, target.type === 'system' ? 'check_system_grant_for_user' : 'check_grant');
    await this.assignments.check(actor, target, roleId);
  }

  private async grant(caller: ValidToken, actor: Actor, target: Target, roleId: string): Promise<void> {
    requireAdmin(caller, target.type === 'system' ? 'create_system_grant_for_user' : 'create_grant');
    await this.assignments.grant(actor, target, roleId);
  }

  private async revoke(caller: ValidToken, actor: Actor, target: Target, roleId: string): Promise<void> {
    requireAdmin(caller, target.type === 'system' ? 'revoke_system_grant_for_user' : 'revoke_grant');
    await this.assignments.revoke(actor, target, roleId);
  }
}
