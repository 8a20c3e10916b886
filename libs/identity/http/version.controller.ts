import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CatalogService } from '../services/catalog.service.js';
import { Public } from './caller.js';

/** Version discovery (no auth): GET / is 300 with Location, GET /v3[/] is 200. */
@Public()
@Controller()
export class VersionController {
  constructor(@Inject(CatalogService) private readonly catalog: CatalogService) {}

  @Get()
  @HttpCode(300)
  root(@Res({ passthrough: true }) reply: FastifyReply) {
    reply.header('location', `${this.catalog.publicUrl()}/`);
    return { versions: { values: [this.version()] } };
  }

  @Get('v3')
  v3() {
    return { version: this.version() };
  }

  private version() {
    return {
      id: 'v3.14',
      status: 'stable',
      updated: '2020-04-07T00:00:00Z',
      links: [{ rel: 'self', href: `${this.catalog.publicUrl()}/` }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
    };
  }
}
