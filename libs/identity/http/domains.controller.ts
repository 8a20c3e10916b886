import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { forbiddenAction } from '../keystone-error.js';
import { DomainStore } from '../services/domain.store.js';
import type { ValidToken } from '../services/token.service.js';
import { Caller } from './caller.js';
import { isAdmin, requireAdmin } from './policy.js';
import { type Query as Q, queryBoolean, queryValue } from './query.js';
import { Renderer } from './renderer.js';
import { domainCreate, domainUpdate } from './request-bodies.js';

@Controller('v3/domains')
export class DomainsController {
  constructor(
    @Inject(DomainStore) private readonly domains: DomainStore,
    @Inject(Renderer) private readonly render: Renderer,
  ) {}

  @Get()
  async list(@Caller() caller: ValidToken, @Query() q: Q, @Req() req: FastifyRequest) {
    requireAdmin(caller, 'list_domains');
    const rows = await this.domains.list({ name: queryValue(q, 'name'), enabled: queryBoolean(q, 'enabled') });
    return this.render.collection('domains', rows.map((d) => this.render.domain(d)), req.url);
  }

  @Post()
  @HttpCode(201)
  async create(@Caller() caller: ValidToken, @Body() body: unknown) {
    requireAdmin(caller, 'create_domain');
    return { domain: this.render.domain(await this.domains.create(domainCreate(body))) };
  }

  /** Readable by admins and by tokens scoped to the domain or to one of its projects. */
  @Get(':id')
  async show(@Caller() caller: ValidToken, @Param('id') id: string) {
    if (!isAdmin(caller) && caller.row.domain_id !== id) throw forbiddenAction('identity:get_domain');
    return { domain: this.render.domain(await this.domains.get(id)) };
  }

  @Patch(':id')
  async update(@Caller() caller: ValidToken, @Param('id') id: string, @Body() body: unknown) {
    requireAdmin(caller, 'update_domain');
    return { domain: this.render.domain(await this.domains.update(id, domainUpdate(body, id))) };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Caller() caller: ValidToken, @Param('id') id: string): Promise<void> {
    requireAdmin(caller, 'delete_domain');
    await this.domains.delete(id);
  }
}
