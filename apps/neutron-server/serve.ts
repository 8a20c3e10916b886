import 'reflect-metadata';
import type { DynamicModule } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { pino, type Logger } from 'pino';
import { createHttpApp, NeutronExceptionFilter, renderError } from '../../libs/api/index.js';
import { type AppConfig, loadConfig } from '../../libs/config/index.js';
import { createIdentityApp } from '../../libs/identity/index.js';

/**
 * Starts a server shape (the appliance, or neutron-server): the Networking API and the Identity stub on their ports,
 * graceful stop on SIGTERM/SIGINT. `compose` gives the root module for the loaded config.
 */
export async function serve(service: string, compose: (config: AppConfig, log: Logger) => DynamicModule): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.log.level, base: { service } });

  const api = await createHttpApp(compose(config, log), {
    bodyLimit: config.api.body_limit_bytes,
    log,
    renderError: (error, req, reply) => renderError(error, req, reply, log),
  });
  api.useGlobalFilters(new NeutronExceptionFilter(log));
  await api.init();
  const identity = await createIdentityApp({ config, app: api, logger: log });

  await api.listen(config.api.port, config.host);
  await identity.listen(config.identity.port, config.host);
  log.info(
    {
      api: config.api.port,
      identity: config.identity.port,
      host: config.host,
      database: config.database.url ? 'postgres' : 'sqlite',
      bus: config.bus.transport,
      startMs: Math.round(performance.now()),
    },
    `${service} ready`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    await Promise.allSettled([identity.close(), api.close()]);
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
