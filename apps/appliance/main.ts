import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { createHttpApp, NeutronExceptionFilter, renderError } from '../../libs/api/index.js';
import { ConfigError, loadConfig } from '../../libs/config/index.js';
import { createIdentityApp } from '../../libs/identity/index.js';
import { ApplianceModule } from './app.module.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.log.level, base: { service: 'neutron-appliance' } });

  const api = await createHttpApp(ApplianceModule.forRoot(config, log), {
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
    { api: config.api.port, identity: config.identity.port, host: config.host, database: config.database.url ? 'postgres' : 'sqlite', startMs: Math.round(performance.now()) },
    'appliance ready',
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

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`appliance failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
