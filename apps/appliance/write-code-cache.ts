import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileClassicScript, writeCodeCache } from './code-cache.js';

/**
 * The last step of `npm run build`: starts dist/bundle/appliance.cjs in this process (on a fresh SQLite database in a
 * temporary directory, on free loopback ports, none of the caller's APPLIANCE_* settings), gets a token and lists the
 * networks as a client's first requests do, then writes the script's V8 code cache beside it and exits. Run it with
 * the V8 flags of `npm start`: V8 rejects a cache written under other flags. A warm-up that gets no answer leaves no
 * cache (the appliance then compiles its source at each start) and does not fail the build; a bundle that cannot start
 * fails it, as it would fail `npm start`.
 */
const BUNDLE = fileURLToPath(new URL('../../bundle/appliance.cjs', import.meta.url));
const TIMEOUT_MS = 60_000;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'appliance-code-cache-'));
  const [apiPort, identityPort] = [await freePort(), await freePort()];
  const password = randomBytes(12).toString('hex');
  for (const key of Object.keys(process.env)) if (key.startsWith('APPLIANCE_')) delete process.env[key];
  Object.assign(process.env, {
    APPLIANCE_HOST: '127.0.0.1',
    APPLIANCE_API_PORT: String(apiPort),
    APPLIANCE_IDENTITY_PORT: String(identityPort),
    APPLIANCE_DATA_DIR: dataDir,
    APPLIANCE_ADMIN_PASSWORD: password,
    APPLIANCE_LOG_LEVEL: 'warn',
  });
  try {
    const compiled = compileClassicScript(BUNDLE);
    compiled.run();
    await firstRequests(`http://127.0.0.1:${identityPort}`, `http://127.0.0.1:${apiPort}`, password);
    const bytes = writeCodeCache(compiled, BUNDLE);
    process.stdout.write(`code cache: ${(bytes / 1048576).toFixed(1)} MB of V8 bytecode for dist/bundle/appliance.cjs\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A token for the bootstrap admin, then GET /v2.0/networks with it (retried until the appliance listens). */
async function firstRequests(identity: string, api: string, password: string): Promise<void> {
  const auth = {
    auth: {
      identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password } } },
      scope: { project: { name: 'admin', domain: { name: 'Default' } } },
    },
  };
  const deadline = Date.now() + TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const issued = await fetch(`${identity}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(auth) });
      const token = issued.headers.get('x-subject-token');
      if (issued.status === 201 && token) {
        const listed = await fetch(`${api}/v2.0/networks`, { headers: { 'x-auth-token': token } });
        if (listed.status === 200) return;
        last = `GET /v2.0/networks: ${listed.status}`;
      } else {
        last = `POST /v3/auth/tokens: ${issued.status}`;
      }
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the appliance did not answer within ${TIMEOUT_MS} ms (${last})`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`code cache: not written, the appliance will compile its source at each start (${(error as Error).message})\n`);
    process.exit(0);
  },
);
