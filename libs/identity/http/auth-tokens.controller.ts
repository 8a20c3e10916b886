import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { TokenRow } from '../entities/token.entity.js';
import { noSubjectToken, notFound, tokenInvalid } from '../keystone-error.js';
import { parseAuthRequest } from '../services/auth-request.js';
import { AuthService } from '../services/auth.service.js';
import { CatalogService } from '../services/catalog.service.js';
import { parseKeystoneTime } from '../services/keystone-time.js';
import { TokenService, type ValidToken } from '../services/token.service.js';
import { Caller, Public } from './caller.js';
import { requireTokenAccess } from './policy.js';
import { type Query as Q, queryFlag } from './query.js';
import { renderToken } from './render-token.js';

/** Keystone's [token] allow_expired_window. */
const ALLOW_EXPIRED_MS = 48 * 3600 * 1000;

@Controller('v3/auth/tokens')
export class AuthTokensController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(CatalogService) private readonly catalog: CatalogService,
  ) {}

  @Public()
  @Post()
  @HttpCode(201)
  async issue(@Body() body: unknown, @Query() query: Q, @Res({ passthrough: true }) reply: FastifyReply) {
    const token = await this.auth.issue(parseAuthRequest(body));
    reply.header('x-subject-token', token.row.id);
    return renderToken(token.row, 'nocatalog' in query ? undefined : this.catalog.catalog());
  }

  /** GET and (through fastify's HEAD route) HEAD. */
  @Get()
  async validate(
    @Caller() caller: ValidToken,
    @Headers('x-subject-token') subject: string | undefined,
    @Query() query: Q,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const row = await this.subject(subject, queryFlag(query, 'allow_expired'));
    requireTokenAccess(caller, row.user_id, 'validate_token');
    reply.header('x-subject-token', row.id);
    return renderToken(row, 'nocatalog' in query ? undefined : this.catalog.catalog());
  }

  @Delete()
  @HttpCode(204)
  async revoke(@Caller() caller: ValidToken, @Headers('x-subject-token') subject: string | undefined): Promise<void> {
    const row = await this.subject(subject, false);
    requireTokenAccess(caller, row.user_id, 'revoke_token');
    await this.tokens.revoke(row.id);
  }

  private async subject(id: string | undefined, allowExpired: boolean): Promise<TokenRow> {
    if (!id) throw noSubjectToken();
    const valid = await this.tokens.resolve(id);
    if (valid) return valid.row;
    const row = await this.tokens.find(id);
    if (!row) throw notFound('token', id);
    if (allowExpired && !row.revoked && parseKeystoneTime(row.expires_at) + ALLOW_EXPIRED_MS > Date.now()) return row;
    throw tokenInvalid();
  }
}
