import { Controller, Delete, Get, Inject, Param, Patch, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { forbiddenAction, notFound } from '../keystone-error.js';
import { CatalogService } from '../services/catalog.service.js';
import type { ValidToken } from '../services/token.service.js';
import { Caller } from './caller.js';
import { requireAdmin } from './policy.js';
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
  regions(@Req() req: FastifyRequest) {
    return this.render.collection('regions', [this.region()], req.url);
  }

  @Get('regions/:id')
  regionById(@Param('id') id: string) {
    if (id !== this.catalog.region) throw notFound('region', id);
    return { region: this.region() };
  }

  @Get('services')
  services(@Caller() caller: ValidToken, @Req() req: FastifyRequest) {
    requireAdmin(caller, 'list_services');
    return this.render.collection('services', this.serviceViews(), req.url);
  }

  @Get('services/:id')
  serviceById(@Caller() caller: ValidToken, @Param('id') id: string) {
    requireAdmin(caller, 'get_service');
    const service = this.serviceViews().find((s) => s.id === id);
    if (!service) throw notFound('service', id);
    return { service };
  }

  @Get('endpoints')
  endpoints(@Caller() caller: ValidToken, @Req() req: FastifyRequest) {
    requireAdmin(caller, 'list_endpoints');
    return this.render.collection('endpoints', this.endpointViews(), req.url);
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
