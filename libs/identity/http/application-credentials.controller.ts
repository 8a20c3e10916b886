import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApplicationCredentialStore } from '../services/application-credential.store.js';
import type { ValidToken } from '../services/token.service.js';
import { Caller } from './caller.js';
import { requireAdminOrSelf } from './policy.js';
import { type Query as Q, queryValue } from './query.js';
import { Renderer } from './renderer.js';
import { applicationCredentialCreate } from './request-bodies.js';

/** A user's application credentials: created by the user itself (from a project-scoped token), read by it or an admin. */
@Controller('v3/users/:uid/application_credentials')
export class ApplicationCredentialsController {
  constructor(
    @Inject(ApplicationCredentialStore) private readonly creds: ApplicationCredentialStore,
    @Inject(Renderer) private readonly render: Renderer,
  ) {}

  @Get()
  async list(@Caller() caller: ValidToken, @Param('uid') uid: string, @Query() q: Q, @Req() req: FastifyRequest) {
    requireAdminOrSelf(caller, 'list_application_credentials', uid);
    const rows = await this.creds.list(uid, { name: queryValue(q, 'name') });
    return this.render.collection('application_credentials', rows.map((a) => this.render.applicationCredential(a)), req.url);
  }

  @Post()
  @HttpCode(201)
  async create(@Caller() caller: ValidToken, @Param('uid') uid: string, @Body() body: unknown) {
    const input = applicationCredentialCreate(body);
    return { application_credential: this.render.applicationCredential(await this.creds.create(caller.row, uid, input)) };
  }

  @Get(':id')
  async show(@Caller() caller: ValidToken, @Param('uid') uid: string, @Param('id') id: string) {
    requireAdminOrSelf(caller, 'get_application_credential', uid);
    return { application_credential: this.render.applicationCredential(await this.creds.get(uid, id)) };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Caller() caller: ValidToken, @Param('uid') uid: string, @Param('id') id: string): Promise<void> {
    requireAdminOrSelf(caller, 'delete_application_credential', uid);
    await this.creds.delete(caller.row, uid, id);
  }
}
