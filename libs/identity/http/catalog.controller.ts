import { Controller, Delete, Get, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { forbiddenAction, notFound } from '../keystone-error.js';
import { CatalogService } from '../services/catalog.service.js';
import type { ValidToken } from '../services/token.service.js';
import { Caller } from './caller.js';
import { requireAdmin } from './policy.js';
import { type Query as Q, matchesFilters, queryBoolean } from './query.js';
import { Renderer } from './renderer.js';

/**
 * Regions, services and endpoints of the built-in catalog, read-only: the catalog follows the config
 * (hosts, ports, region), so every write (POST/PATCH/DELETE) is refused with 403.
 */
@Controller('v3')
export class CatalogController {
  constructor(
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(Renderer) private readonly render: Renderer,
  ) {}

  @Get('regions')
  regions(@Query() q: Q, @Req() req: FastifyRequest) {
    const rows = [this.region()].filter((r) => matchesFilters(r, q, ['parent_region_id']));
    return this.render.collection('regions', rows, req.url);
  }

  @Get('regions/:id')
  regionById(@Param('id') id: string) {
    if (id !== this.catalog.region) throw notFound('region', id);
    return { region: this.region() };
  }

  @Get('services')
  services(@Caller() caller: ValidToken, @Query() q: Q, @Req() req: FastifyRequest) {
    requireAdmin(caller, 'list_services');
    const rows = this.serviceViews().filter((s) => matchesFilters(s, q, ['type', 'name']));
    return this.render.collection('services', rows, req.url);
  }

  @Get('services/:id')
  serviceById(@Caller() caller: ValidToken, @Param('id') id: string) {
    requireAdmin(caller, 'get_service');
    const service = this.serviceViews().find((s) => s.id === id);
    if (!service) throw notFound('service', id);
    return { service };
  }

  @Get('endpoints')
  endpoints(@Caller() caller: ValidToken, @Query() q: Q, @Req() req: FastifyRequest) {
    requireAdmin(caller, 'list_endpoints');
    // Keystone takes `region` as the old spelling of `region_id`.
    const filters = { ...q, region_id: q.region_id ?? q.region };
    const enabled = queryBoolean(q, 'enabled');
    const rows = this.endpointViews().filter(
      (e) => matchesFilters(e, filters, ['service_id', 'interface', 'region_id']) && (enabled === undefined || enabled),
    );
    return this.render.collection('endpoints', rows, req.url);
  }

  @Get('endpoints/:id')
  endpointById(@Caller() caller: ValidToken, @Param('id') id: string) {
    requireAdmin(caller, 'get_endpoint');
    const endpoint = this.endpointViews().find((e) => e.id === id);
    if (!endpoint) throw notFound('endpoint', id);
    return { endpoint };
  }

  @Post(['regions', 'services', 'endpoints'])
  create(@Req() req: FastifyRequest) {
    return this.refuse(req);
  }

  @Patch(['regions/:id', 'services/:id', 'endpoints/:id'])
  update(@Req() req: FastifyRequest) {
    return this.refuse(req);
  }

  @Delete(['regions/:id', 'services/:id', 'endpoints/:id'])
  remove(@Req() req: FastifyRequest) {
    return this.refuse(req);
  }

  private refuse(req: FastifyRequest): never {
    const kind = req.url.split('?')[0].split('/')[2].replace(/s$/, '');
    const verb = req.method === 'POST' ? 'create' : req.method === 'DELETE' ? 'delete' : 'update';
    throw forbiddenAction(`identity:${verb}_${kind}`);
  }

  private region() {
    return {
      id: this.catalog.region,
      description: '',
      parent_region_id: null,
      links: { self: this.catalog.url('regions', this.catalog.region) },
    };
  }

  private serviceViews() {
    return this.catalog.listServices().map(({ id, type, name }) => ({
      id,
      type,
      name,
      enabled: true,
      description: '',
      links: { self: this.catalog.url('services', id) },
    }));
  }

  private endpointViews() {
    return this.catalog.listServices().flatMap((s) =>
      s.endpoints.map((e) => ({ ...e, service_id: s.id, enabled: true, links: { self: this.catalog.url('endpoints', e.id) } })),
    );
  }
}
