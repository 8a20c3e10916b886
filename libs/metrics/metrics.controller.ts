import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { MetricsRegistry } from './metrics-registry.js';

/** `GET /metrics` on the API port: Prometheus text, no token (registered only when metrics.enabled). */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(MetricsRegistry) private readonly metrics: MetricsRegistry) {}

  @Get()
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const text = await this.metrics.scrape();
    await reply.type(this.metrics.contentType).send(text);
  }
}
