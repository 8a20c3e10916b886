import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ConfigError, failedToStart, loadConfig } from '../../libs/config/index.js';
import { AGENT_TYPES, type AgentType, AgentModule } from './agent.module.js';

const USAGE = `usage: agent --type ${AGENT_TYPES.join('|')} [--host H ...] [--config FILE]

Runs one agent type for the given hosts (default: agents.host, else this machine's hostname) and reaches its
neutron-server over Redis (APPLIANCE_BUS_TRANSPORT=redis, APPLIANCE_REDIS_URL).`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { type: { type: 'string' }, host: { type: 'string', multiple: true }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const type = values.type as AgentType;
  if (!AGENT_TYPES.includes(type)) throw new ConfigError(`--type is required (${AGENT_TYPES.join(', ')})\n${USAGE}`);
  const config = loadConfig();
  if (config.bus.transport !== 'redis') {
    throw new ConfigError('bus.transport: an agent process reaches its server over Redis; set APPLIANCE_BUS_TRANSPORT=redis');
  }
  if (type === 'l3' && !config.agents.l3.enabled) {
    throw new ConfigError('agents.l3.enabled: the L3 agent is turned off; set APPLIANCE__AGENTS__L3__ENABLED=true');
  }
  if (type === 'metering' && !config.agents.metering.enabled) {
    throw new ConfigError('agents.metering.enabled: the metering agent is turned off; set APPLIANCE__AGENTS__METERING__ENABLED=true');
  }
  const hosts = values.host?.length ? values.host : [config.agents.host || hostname()];
  const log = pino({ level: config.log.level, base: { service: `neutron-${type}-agent` } });

  const app = await NestFactory.createApplicationContext(AgentModule.forRoot(config, type, hosts, log), { logger: false });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.init();
  log.info({ type, hosts, bus: config.bus.transport }, 'agent ready');
}

main().catch(failedToStart('agent'));
