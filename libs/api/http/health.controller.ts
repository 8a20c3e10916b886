import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Database } from '../../db/index.js';

/** oslo.middleware's healthcheck: no auth, plain "OK"; 503 when the database does not answer. */
@Controller('healthcheck')
export class HealthController {
  constructor(@Inject(Database) private readonly db: Database) {}

  @Get()
  @HttpCode(200)
  @Header('Content-Type', 'text/plain')
  async check(@Res() reply: FastifyReply): Promise<void> {
    try {
      await this.db.read((em) => em.query('SELECT 1'));
      await reply.type('text/plain').send('OK');
    } catch {
      await reply.status(503).type('text/plain').send('DB unreachable');
    }
  }
}
