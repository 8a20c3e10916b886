import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { unauthorized } from '../keystone-error.js';
import { TokenService, type ValidToken } from '../services/token.service.js';

const IS_PUBLIC = 'identity:public';
const callers = new WeakMap<object, ValidToken>();

/** A route that needs no X-Auth-Token (version discovery, token issue, self-service password change). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The validated X-Auth-Token of the request (set by KeystoneAuthGuard). */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): ValidToken => {
  const caller = callers.get(ctx.switchToHttp().getRequest<object>());
  if (!caller) throw unauthorized();
  return caller;
});

/** 401 (with WWW-Authenticate, added by the filter) unless the route is public or the token is valid. */
@Injectable()
export class KeystoneAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const header = req.headers['x-auth-token'];
    const token = await this.tokens.resolve(typeof header === 'string' ? header : undefined);
    if (!token) throw unauthorized();
    callers.set(req, token);
    return true;
  }
}
