import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigError } from '../../config/index.js';

/**
 * Nest's own messages and every `new Logger(context)` of the domains, as pino JSON lines (no ANSI colours, one
 * format in the log whether or not it is a terminal). Nest's chatter (route mapping, lifecycle) goes to debug.
 */
export function nestPinoLogger(log: Logger): LoggerService {
  const write = (level: 'error' | 'warn' | 'debug' | 'trace') => (message: unknown, ...rest: unknown[]) => {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    // A ConfigError already says what to change (a data directory it cannot write, a bad setting): its stack through
    // Nest's injector and the bundle would bury that in `docker logs`.
    if (message instanceof ConfigError) fields.err = withoutStack(message);
    else if (level === 'error' && typeof rest[0] === 'string') fields.stack = rest[0];
    else if (message instanceof Error) fields.err = message;
    log[level](fields, message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message));
  };
  return { log: write('debug'), error: write('error'), warn: write('warn'), debug: write('trace'), verbose: write('trace'), fatal: write('error') };
}

/** A copy pino's error serializer writes as {type, message}. */
function withoutStack(error: ConfigError): ConfigError {
  const copy = new ConfigError(error.message);
  delete copy.stack;
  return copy;
}
