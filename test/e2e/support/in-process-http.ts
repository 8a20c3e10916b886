import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { pino } from 'pino';
import { ApplianceModule } from '../../../apps/appliance/app.module.js';
import { createHttpApp, NeutronExceptionFilter, renderError } from '../../../libs/api/index.js';
import { loadConfig } from '../../../libs/config/index.js';
import { createScratchStorage } from '../../../libs/db/testing/scratch-database.js';
import { createIdentityApp } from '../../../libs/identity/index.js';
import { type Appliance, type Dialect, freePort } from './appliance.js';

export interface InProcessHttp {
  /** What the CLI and HTTP helpers need; terminate/restart are not supported in-process. */
  app: Appliance;
  /** A provider of the running modules, so the test can play the agents through the server's own handlers. */
  get<T>(token: string | symbol | (abstract new (...args: never[]) => T)): T;
  close(): Promise<void>;
}

/**
 * The appliance inside the test process: the same composition as apps/appliance/main.ts (Networking API and Keystone
 * over HTTP on free ports), with extra APPLIANCE_* settings in `env` (e.g. to switch the appliance's own agents off).
 */
export async function startHttpInProcess(dialect: Dialect, label: string, env: Record<string, string> = {}): Promise<InProcessHttp> {
  const storage = await createScratchStorage(dialect, `appliance_${label}_${dialect}`);
  const [apiPort, identityPort] = [await freePort(), await freePort()];
  const config = loadConfig({
    argv: [],
    env: {
      APPLIANCE_API_PORT: String(apiPort),
      APPLIANCE_IDENTITY_PORT: String(identityPort),
      APPLIANCE_HOST: '127.0.0.1',
      APPLIANCE_DATA_DIR: storage.dataDir,
      APPLIANCE_DATABASE_URL: storage.url,
      APPLIANCE_ADMIN_PASSWORD: 'admin',
      ...env,
    },
  });
  const log = pino({ level: 'silent' });
  let api: INestApplication | undefined;
  let identity: INestApplication | undefined;
  const close = async () => {
    await identity?.close();
    await api?.close();
    await storage.remove();
  };
  try {
    api = await createHttpApp(ApplianceModule.forRoot(config), {
      bodyLimit: config.api.body_limit_bytes,
      log,
      renderError: (error, req, reply) => renderError(error, req, reply, log),
    });
    api.useGlobalFilters(new NeutronExceptionFilter(log));
    await api.init();
    identity = await createIdentityApp({ config, app: api, logger: log });
    await api.listen(apiPort, '127.0.0.1');
    await identity.listen(identityPort, '127.0.0.1');
  } catch (e) {
    await close();
    throw e;
  }
  const running = api;
  const unsupported = () => Promise.reject(new Error('in-process appliance: not supported'));
  return {
    app: {
      dialect,
      apiUrl: `http://127.0.0.1:${apiPort}`,
      identityUrl: `http://127.0.0.1:${identityPort}`,
      dataDir: storage.dataDir,
      adminPassword: 'admin',
      output: () => '',
      terminate: unsupported,
      restart: unsupported,
      stop: close,
    },
    get: (token) => running.get(token),
    close,
  };
}
