import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningIdentity, startIdentity } from './testing/identity-harness.js';

const OPENSTACK = '/usr/bin/openstack';
const run = promisify(execFile);

let id: RunningIdentity;

async function openstack(...args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));
  Object.assign(env, {
    OS_AUTH_URL: `${id.origin}/v3`,
    OS_USERNAME: 'admin',
    OS_PASSWORD: 'admin',
    OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_IDENTITY_API_VERSION: '3',
    OS_CLOUD: '',
  });
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
});
