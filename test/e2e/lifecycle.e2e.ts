// Replicas and restarts as a user meets them: three neutron-server replicas started at once on an empty PostgreSQL
// database, SIGTERM with a keep-alive client connected, a second appliance on a busy port, `--help`, the bundle's V8
// code cache damaged.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type Appliance, freePort, REPO_ROOT, startAppliance } from './support/appliance.js';
import { adminCredentials, apiClient, expectStatus, issueToken } from './support/http.js';
import { createTempDatabase } from './support/postgres.js';

const REDIS_URL = process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_CLIENT_SHARED = 'already executing a query';

describe('three neutron-server replicas started at the same moment on an empty PostgreSQL database', () => {
  const prefix = `e2e-replicas-${process.pid}-${randomBytes(3).toString('hex')}`;
  const replicas: Appliance[] = [];
  let dropDatabase: (() => Promise<void>) | undefined;

  afterAll(async () => {
    for (const r of replicas) await r.stop();
    await dropDatabase?.();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('all three start (migrations run once, under a lock) and serve the same data', async () => {
    const db = await createTempDatabase();
    dropDatabase = db.drop;
    const env = { APPLIANCE_BUS_TRANSPORT: 'redis', APPLIANCE_REDIS_URL: REDIS_URL, APPLIANCE__BUS__REDIS_PREFIX: prefix };
    const started = await Promise.allSettled([1, 2, 3].map(() => startAppliance({ dialect: 'postgres', shape: 'neutron-server', databaseUrl: db.url, env })));
    for (const s of started) if (s.status === 'fulfilled') replicas.push(s.value);
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'started'))).toEqual(['started', 'started', 'started']);

    const [a, b, c] = replicas;
    const token = await issueToken(a.identityUrl, adminCredentials(a.adminPassword));
    const res = await apiClient(b.apiUrl, token).post('/v2.0/networks', { network: { name: 'replicated' } });
    expectStatus(res, 201);
    expectStatus(await apiClient(b.apiUrl, token).post('/v2.0/subnets', { subnet: { network_id: res.body.network.id, cidr: '10.44.0.0/24', ip_version: 4 } }), 201);
    const shown = await apiClient(c.apiUrl, token).get(`/v2.0/networks/${res.body.network.id}`);
    expectStatus(shown, 200);
    expect(shown.body.network.subnets).toHaveLength(1);
    for (const r of replicas) expect(r.output()).not.toContain(PG_CLIENT_SHARED);
  });
});

describe('SIGTERM while a client holds a keep-alive connection', () => {
  let app: Appliance | undefined;
  afterAll(() => app?.stop());

  it.each(['api', 'identity'] as const)('the in-flight %s request is answered with Connection: close and the process exits within 2 s', async (which) => {
    app ??= await startAppliance({ dialect: 'sqlite' });
    if (which === 'identity') await app.restart();
    const agent = new Agent({ keepAlive: true });
    const base = which === 'api' ? app.apiUrl : app.identityUrl;
    // One finished request first: the connection then sits in the client's pool, as keystoneauth's session keeps it.
    await new Promise<void>((ok, fail) => request(`${base}/`, { agent }, (res) => res.resume().on('end', ok)).on('error', fail).end());

    const path = which === 'api' ? '/v2.0/networks' : '/v3/auth/tokens';
    const body = Buffer.from(JSON.stringify(which === 'api' ? { network: { name: 'x' } } : { auth: {} }));
    let exitedAfterMs: Promise<number> | undefined;
    const answer = await new Promise<{ status: number; connection?: string }>((ok, fail) => {
      const req = request(`${base}${path}`, { agent, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': body.length } }, (res) => {
        res.resume().on('end', () => ok({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      });
      req.on('error', fail);
      req.write(body.subarray(0, 5));
      setTimeout(() => {
        const t0 = performance.now();
        exitedAfterMs = app!.terminate().then(() => performance.now() - t0);
        setTimeout(() => req.end(body.subarray(5)), 200);
      }, 200);
    });
    expect(answer.status).toBe(which === 'api' ? 401 : 400); // no token / no method: answered all the same
    expect(answer.connection).toBe('close');
    expect(await exitedAfterMs).toBeLessThan(2_000);
    agent.destroy();
  });
});

describe('a second appliance on a port that is in use', () => {
  let first: Appliance | undefined;
  afterAll(() => first?.stop());

  it('fails naming the port before its agents start (none of its agents registers)', async () => {
    const db = await createTempDatabase();
    try {
      first = await startAppliance({ dialect: 'postgres', databaseUrl: db.url });
      const apiPort = new URL(first.apiUrl).port;
      const second = startAppliance({
        dialect: 'postgres',
        databaseUrl: db.url,
        env: { APPLIANCE_API_PORT: apiPort, APPLIANCE_AGENT_HOST: 'second-appliance', APPLIANCE__AGENTS__L2__EXTRA_HOSTS: '[]', APPLIANCE_LOG_LEVEL: 'info' },
      });
      const failure = await second.then(
        () => 'started',
        (e: Error) => e.message,
      );
      expect(failure).toContain(`api.port: 127.0.0.1:${apiPort} is already in use (EADDRINUSE)`);
      // Its output (at info, in the error) would log each agent's start, e.g. "L2 agent started".
      expect(failure).not.toMatch(/agent started/);
      const admin = apiClient(first.apiUrl, await issueToken(first.identityUrl, adminCredentials(first.adminPassword)));
      const agents = await admin.get('/v2.0/agents?host=second-appliance');
      expectStatus(agents, 200);
      expect(agents.body.agents).toEqual([]);
    } finally {
      await first?.stop();
      first = undefined;
      await db.drop();
    }
  });
});

describe('--help', () => {
  const run = (bundle: string, args: string[]) =>
    new Promise<{ code: number | null; out: string }>((ok) => {
      const child = spawn(process.execPath, [`dist/bundle/${bundle}.js`, ...args], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH, APPLIANCE_API_PORT: '1', APPLIANCE_IDENTITY_PORT: '1' }, // a start would fail
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (out += c));
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        ok({ code, out });
      });
    });

  it.each([
    ['appliance', 'usage: neutron-appliance [--config FILE]'],
    ['neutron-server', 'usage: neutron-server [--config FILE]'],
    ['agent', 'usage: agent --type l2|dhcp|l3'],
  ])('%s --help prints its usage and exits 0 without starting', async (bundle, usage) => {
    const { code, out } = await run(bundle, ['--help']);
    expect(out).toContain(usage);
    expect(code).toBe(0);
  });

  it('an unknown option is an error with the usage', async () => {
    const { code, out } = await run('appliance', ['--port', '1']);
    expect(out).toContain("Unknown option '--port'");
    expect(out).toContain('usage: neutron-appliance');
    expect(code).toBe(1);
  });
});

describe('the appliance bundle', () => {
  /**
   * The chunks `node dist/bundle/appliance.js` loads at start: appliance.cjs (the loader compiles it with its code
   * cache) and their static imports and top-level requires, followed.
   */
  async function startChunks(): Promise<Map<string, string>> {
    const chunks = new Map<string, string>();
    const visit = async (name: string) => {
      if (chunks.has(name)) return;
      const text = await readFile(join(REPO_ROOT, 'dist/bundle', name), 'utf8');
      chunks.set(name, text);
      for (const [, next] of text.matchAll(/^import\s[^;]*?from\s*"\.\/([^"]+)"/gm)) await visit(next);
      for (const [, next] of text.matchAll(/^(?:let|const|var)\s+\S+\s*=\s*require\("\.\/([^"]+)"\)/gm)) await visit(next);
    };
    await visit('appliance.js');
    await visit('appliance.cjs');
    return chunks;
  }

  it('carries the two TypeORM drivers it can use, not the other fifteen it would parse at every start', async () => {
    const text = [...(await startChunks()).values()].join('\n');
    expect(text).toContain('node_modules/typeorm/driver/better-sqlite3/BetterSqlite3Driver.js');
    expect(text).toContain('node_modules/typeorm/driver/postgres/PostgresQueryRunner.js');
    for (const unused of ['mysql/MysqlQueryRunner', 'sqlserver/SqlServerQueryRunner', 'oracle/OracleDriver', 'mongodb/MongoDriver', 'cockroachdb/CockroachDriver', 'sap/SapDriver', 'spanner/SpannerDriver']) {
      expect(text).not.toContain(`node_modules/typeorm/driver/${unused}.js`);
    }
  });

  it('builds no Intl object while it loads (one makes ICU load its locale data: 8 MB of RSS in every process)', async () => {
    for (const [name, text] of await startChunks()) {
      const eager = /^(?:const|let|var)\s+\S+\s*=\s*new Intl\.\w+\(/m.exec(text);
      expect(eager ? `${name}: ${eager[0]}` : name).toBe(name);
    }
  });

  it('is Latin-1 text, so that V8 keeps its source (held for lazy compiling) in one byte per character, not two', async () => {
    for (const [name, text] of await startChunks()) {
      const wide = /[^\u0000-\u00ff]/.exec(text);
      expect(wide ? `${name}: ${JSON.stringify(text.slice(wide.index - 30, wide.index + 10))}` : name).toBe(name);
    }
  });
});

describe('the V8 code cache of the appliance bundle', () => {
  /** The V8 flags `npm start` runs the appliance with (package.json): the cache is only good under the same. */
  const startFlags = async () => {
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    return /\bnode\s+((?:--\S+\s+)*)dist\/bundle\/appliance\.js/.exec(pkg.scripts.start)![1].trim().split(/\s+/);
  };

  it('is one that V8 accepts under the flags of `npm start`, as `npm run build` left it', async () => {
    const check = `import { compileClassicScript } from './dist/apps/appliance/code-cache.js'; console.log(compileClassicScript('dist/bundle/appliance.cjs').cache);`;
    const flags = await startFlags();
    const out = await new Promise<string>((ok, fail) => {
      const child = spawn(process.execPath, [...flags, '--input-type=module', '-e', check], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (c) => (text += c));
      child.on('error', fail);
      child.on('exit', () => ok(text.trim()));
    });
    expect(out).toBe('used');
  });

  it('damaged, is not used: the appliance compiles its source and answers as usual', async () => {
    const copy = await mkdtemp(join(REPO_ROOT, 'dist/bundle-e2e-code-cache-'));
    let app: Appliance | undefined;
    try {
      for (const name of await readdir(join(REPO_ROOT, 'dist/bundle'))) {
        if (!name.endsWith('.map')) await copyFile(join(REPO_ROOT, 'dist/bundle', name), join(copy, name));
      }
      const cache = await readFile(join(copy, 'appliance.cjs.cache'));
      cache[cache.length - 1000] ^= 0xff;
      await writeFile(join(copy, 'appliance.cjs.cache'), cache);
      app = await startAppliance({ dialect: 'sqlite', bundleDir: copy });
      const admin = apiClient(app.apiUrl, await issueToken(app.identityUrl, adminCredentials(app.adminPassword)));
      expectStatus(await admin.get('/v2.0/networks'), 200);
    } finally {
      await app?.stop();
      await rm(copy, { recursive: true, force: true });
    }
  });
});

describe('stdout closed by its reader (`appliance | head`, a log shipper that died)', () => {
  it('keeps serving, and SIGTERM still stops it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'appliance-e2e-closed-stdout-'));
    const apiPort = await freePort();
    const child = spawn(process.execPath, ['dist/bundle/appliance.js'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, APPLIANCE_DATA_DIR: dataDir, APPLIANCE_API_PORT: String(apiPort), APPLIANCE_IDENTITY_PORT: String(await freePort()), APPLIANCE_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    try {
      await new Promise<void>((ok) => child.stdout.once('data', () => ok()));
      child.stdout.destroy(); // the reader goes away; every later log line meets a closed pipe
      let healthy = false;
      for (let i = 0; i < 100 && !healthy; i++) {
        healthy = await fetch(`http://127.0.0.1:${apiPort}/healthcheck`).then((r) => r.ok, () => false);
        if (!healthy) await new Promise((r) => setTimeout(r, 100));
      }
      expect(healthy).toBe(true);
      const started = Date.now();
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running after 5 s'), 5_000))]);
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
