import 'reflect-metadata';
import type { DynamicModule } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { pino, type Logger } from 'pino';
import { AgentsStartGate } from '../../libs/agents/common/agent-module.js';
import { createHttpApp, NeutronExceptionFilter, renderError } from '../../libs/api/index.js';
import { type AppConfig, ConfigError, loadConfig } from '../../libs/config/index.js';
import { createIdentityApp } from '../../libs/identity/index.js';

const usage = (service: string) => `usage: ${service} [--config FILE]

Serves the Networking API (api.port, default 9696) and the Keystone v3 stub (identity.port, default 5000).
Configuration: config/default.yaml < --config FILE (or APPLIANCE_CONFIG) < environment (APPLIANCE_API_PORT,
APPLIANCE_DATABASE_URL, APPLIANCE__SECTION__KEY=value ...; the README's Configuration section lists them).

  --config FILE   a YAML file over the defaults
  -h, --help      print this and exit
`;

/**
 * Starts a server shape (the appliance, or neutron-server): the Networking API and the Identity stub on their ports,
 * then the shape's agents (so a busy port stops the start before any agent runs), graceful stop on SIGTERM/SIGINT.
 * `compose` gives the root module for the loaded config; the gate holds its agents back until the ports are bound.
 */
export async function serve(
  service: string,
  compose: (config: AppConfig, log: Logger, agentsStart: AgentsStartGate) => DynamicModule,
): Promise<void> {
  if (parseCommandLine(service).help) {
    process.stdout.write(usage(service));
    return;
  }
  const config = loadConfig();
  // Asynchronous: a burst of requests costs one write of their log lines, not one blocking write each; pino flushes
  // what is buffered when the process exits.
  const logDestination = pino.destination({ dest: 1, sync: false });
  // A reader of stdout that went away (`… | head`, a dead log shipper) must not stop the appliance or its shutdown.
  logDestination.on('error', () => undefined);
  const log = pino({ level: config.log.level, base: { service } }, logDestination);
  const agentsStart = new AgentsStartGate();
  // While stopping, every response carries `Connection: close`: a keep-alive client (keystoneauth, requests
  // sessions) gets its in-flight answer and its connection closed instead of holding the process until it times out.
  let stopping = false;
  const draining = () => stopping;

  const api = await createHttpApp(compose(config, log, agentsStart), {
    bodyLimit: config.api.body_limit_bytes,
    log,
    renderError: (error, req, reply) => renderError(error, req, reply, log),
    draining,
  });
  api.useGlobalFilters(new NeutronExceptionFilter(log));
  await api.init();
  const identity = await createIdentityApp({ config, app: api, logger: log, draining });

  await listen(() => api.listen(config.api.port, config.host), 'api.port', 'APPLIANCE_API_PORT', config.host, config.api.port);
  await listen(() => identity.listen(config.identity.port, config.host), 'identity.port', 'APPLIANCE_IDENTITY_PORT', config.host, config.identity.port);
  await agentsStart.open();
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

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    try {
      log.info({ signal }, 'shutting down: finishing in-flight requests');
      await Promise.allSettled([identity.close(), api.close()]);
      log.info('stopped');
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** A port that cannot be bound stops the start with the key and variable that move it. */
async function listen(bind: () => Promise<unknown>, key: string, variable: string, host: string, port: number): Promise<void> {
  try {
    await bind();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConfigError(`${key}: ${host}:${port} is already in use (EADDRINUSE); stop what listens there or set ${variable}`);
    if (code === 'EACCES') throw new ConfigError(`${key}: no permission to listen on ${host}:${port} (EACCES); use a port above 1024 or set ${variable}`);
    if (code === 'EADDRNOTAVAIL') throw new ConfigError(`host: ${host} is not an address of this machine (EADDRNOTAVAIL); set APPLIANCE_HOST`);
    throw error;
  }
}

function parseCommandLine(service: string): { help: boolean } {
  try {
    const { values } = parseArgs({
      options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    return { help: values.help === true };
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n${usage(service)}`);
  }
}
