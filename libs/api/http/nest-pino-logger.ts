import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * Nest's own messages and every `new Logger(context)` of the domains, as pino JSON lines (no ANSI colours, one
 * format in the log whether or not it is a terminal). Nest's chatter (route mapping, lifecycle) goes to debug.
 */
export function nestPinoLogger(log: Logger): LoggerService {
  const write = (level: 'error' | 'warn' | 'debug' | 'trace') => (message: unknown, ...rest: unknown[]) => {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    if (level === 'error' && typeof rest[0] === 'string') fields.stack = rest[0];
    else if (message instanceof Error) fields.err = message;
    log[level](fields, message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message));
  };
  return { log: write('debug'), error: write('error'), warn: write('warn'), debug: write('trace'), verbose: write('trace'), fatal: write('error') };
}
