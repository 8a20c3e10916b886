import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningIdentity, startIdentity } from './testing/identity-harness.js';

const OPENSTACK = '/usr/bin/openstack';
const run = promisify(execFile);

let id: RunningIdentity;

async function openstack(...args: string[]): Promise<string> {
  return openstackWith(
    {
      OS_USERNAME: 'admin',
      OS_PASSWORD: 'admin',
      OS_PROJECT_NAME: 'admin',
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
    },
    ...args,
  );
}

/** The CLI with the given credentials (OS_* variables) against the stub. */
async function openstackWith(credentials: Record<string, string>, ...args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));
  Object.assign(env, { OS_AUTH_URL: `${id.origin}/v3`, OS_IDENTITY_API_VERSION: '3', OS_CLOUD: '', ...credentials });
  try {
    const { stdout } = await run(OPENSTACK, args, { env, timeout: 60_000 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`openstack ${args.join(' ')} failed: ${err.stderr ?? err.message}`);
  }
}

// .ci/run installs python3-openstackclient: without it this fails rather than skips.
describe('the real openstack CLI', () => {
  beforeAll(async () => {
    id = await startIdentity();
  }, 30_000);
  afterAll(() => id?.close());

  it('issues a token, creates a project and a user, grants a role and lists the assignment', async () => {
    const token = JSON.parse(await openstack('token', 'issue', '-f', 'json'));
    expect(token.id).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(token.project_id).toMatch(/^[0-9a-f]{32}$/);
    expect(token.user_id).toMatch(/^[0-9a-f]{32}$/);
    expect(await id.services.tokens.validate(token.id)).toMatchObject({ user_name: 'admin', project_name: 'admin' });

    const project = JSON.parse(await openstack('project', 'create', 'demo', '-f', 'json'));
    expect(project).toMatchObject({ name: 'demo', domain_id: 'default', enabled: true });

    const user = JSON.parse(await openstack('user', 'create', '--password', 'secret', '--project', 'demo', 'alice', '-f', 'json'));
    expect(user).toMatchObject({ name: 'alice', domain_id: 'default', default_project_id: project.id, enabled: true });

    expect(await openstack('role', 'add', '--user', 'alice', '--project', 'demo', 'member')).toBe('');

    const assignments = JSON.parse(
      await openstack('role', 'assignment', 'list', '--user', 'alice', '--project', 'demo', '--names', '-f', 'json'),
    );
    expect(assignments).toEqual([
      expect.objectContaining({ Role: 'member', User: 'alice@Default', Project: 'demo@Default' }),
    ]);
  }, 120_000);

  it('lists the network endpoints by service (one service matches, not several)', async () => {
    const endpoints = JSON.parse(await openstack('endpoint', 'list', '--service', 'network', '-f', 'json'));
    expect(endpoints.map((e: { Interface: string }) => e.Interface).sort()).toEqual(['admin', 'internal', 'public']);
    for (const e of endpoints) expect(e).toMatchObject({ 'Service Name': 'neutron', 'Service Type': 'network', URL: `http://127.0.0.1:${id.config.api.port}` });
  }, 120_000);

  it('creates a group, adds a user, lists the group and its members', async () => {
    await openstack('user', 'create', '--password', 'secret', 'bob');
    const group = JSON.parse(await openstack('group', 'create', '--description', 'ops team', 'ops', '-f', 'json'));
    expect(group).toMatchObject({ name: 'ops', description: 'ops team', domain_id: 'default' });
    expect(await openstack('group', 'add', 'user', 'ops', 'bob')).toBe('');
    const groups = JSON.parse(await openstack('group', 'list', '-f', 'json'));
    expect(groups).toEqual([expect.objectContaining({ ID: group.id, Name: 'ops' })]);
    expect(await openstack('role', 'add', '--group', 'ops', '--project', 'admin', 'member')).toBe('');
    const viaGroup = JSON.parse(await openstack('role', 'assignment', 'list', '--user', 'bob', '--effective', '--names', '-f', 'json'));
    expect(viaGroup.map((a: { Role: string }) => a.Role).sort()).toEqual(['member', 'reader']);
  }, 120_000);

  it('creates, lists and deletes an application credential and authenticates with it', async () => {
    const cred = JSON.parse(await openstack('application', 'credential', 'create', '--description', 'ci job', 'ci', '-f', 'json'));
    expect(cred).toMatchObject({ name: 'ci', description: 'ci job', unrestricted: false });
    expect(cred.secret).toBeTruthy();
    const listed = JSON.parse(await openstack('application', 'credential', 'list', '-f', 'json'));
    expect(listed).toEqual([expect.objectContaining({ ID: cred.id, Name: 'ci' })]);

    const token = JSON.parse(
      await openstackWith(
        {
          OS_AUTH_TYPE: 'v3applicationcredential',
          OS_APPLICATION_CREDENTIAL_ID: cred.id,
          OS_APPLICATION_CREDENTIAL_SECRET: cred.secret,
        },
        'token',
        'issue',
        '-f',
        'json',
      ),
    );
    expect(token.project_id).toBe(cred.project_id);
    expect(await id.services.tokens.validate(token.id)).toMatchObject({ user_name: 'admin', project_name: 'admin' });

    expect(await openstack('application', 'credential', 'delete', 'ci')).toBe('');
    expect(JSON.parse(await openstack('application', 'credential', 'list', '-f', 'json'))).toEqual([]);
    expect(await id.services.tokens.validate(token.id)).toBeUndefined();
  }, 120_000);
});
