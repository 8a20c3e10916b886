// The process log is what a container runtime or journald keeps: one JSON line per entry, no terminal colour codes,
// the domains' Nest loggers included (here: Nova refusing an event, logged by the Nova notifier).
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Appliance, freePort, startAppliance } from './support/appliance.js';
import { adminCredentials, apiClient, expectStatus, issueToken } from './support/http.js';
import { eventually } from './support/wait.js';

describe('logs', () => {
  let app: Appliance;
  const nova = createServer((_req, res) => res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"badRequest":{"code":400,"message":"no"}}'));

  beforeAll(async () => {
    const novaPort = await freePort();
    await new Promise<void>((ok) => nova.listen(novaPort, '127.0.0.1', ok));
    app = await startAppliance({
      dialect: 'sqlite',
      env: { APPLIANCE_LOG_LEVEL: 'info', APPLIANCE_NOVA_URL: `http://127.0.0.1:${novaPort}`, APPLIANCE__NOVA__SEND_EVENTS_INTERVAL: '0.1' },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await new Promise((ok) => nova.close(ok));
  });

  it('a start that fails names the SQLite file and why, without colour codes', async () => {
    const notADir = join(app.dataDir, 'not-a-directory');
    await writeFile(notADir, '');
    const failure = await startAppliance({ dialect: 'sqlite', env: { APPLIANCE_DATA_DIR: join(notADir, 'data') } }).then(
      async (other) => {
        await other.stop();
        return 'started';
      },
      (e: Error) => e.message,
    );
    expect(failure).toContain(`Cannot open the SQLite database ${join(notADir, 'data', 'neutron.sqlite')}: ${notADir} is not a directory`);
    expect(failure).not.toMatch(/\u001b\[/);
    // The JSON line says it too, without a stack trace through Nest's injector burying it.
    const logged = failure.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const configError = expect.objectContaining({ type: 'ConfigError', message: expect.stringContaining('Cannot open the SQLite database') });
    expect(logged).toContainEqual(expect.objectContaining({ level: 50, err: configError }));
    expect(failure).not.toMatch(/(\\n|\n)\s+at /); // no stack frame, in a JSON string or in plain text
  });

  it('are JSON lines without ANSI colour codes, a domain logger\'s error included', async () => {
    const admin = apiClient(app.apiUrl, await issueToken(app.identityUrl, adminCredentials(app.adminPassword)));
    const net = await admin.post('/v2.0/networks', { network: { name: 'logs' } });
    const port = await admin.post('/v2.0/ports', {
      port: { network_id: net.body.network.id, device_owner: 'compute:nova', device_id: '7d4b1c2e-1f3a-4b5c-8d6e-9f0a1b2c3d4e' },
    });
    expectStatus(await admin.del(`/v2.0/ports/${port.body.port.id}`), 204);
    const out = await eventually(async () => app.output(), (o) => o.includes('Nova refused'));
    expect(out).toContain('Nova refused');
    expect(out).not.toMatch(/\u001b\[/);
    const lines = out.split('\n').filter((l) => l.trim());
    const notJson = lines.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    const refused = lines.map((l) => JSON.parse(l)).find((e) => String(e.msg).includes('Nova refused'));
    expect(refused).toMatchObject({ level: 50, context: 'NovaNotifier' });
  });
});
