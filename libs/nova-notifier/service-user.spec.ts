import { afterEach, describe, expect, it } from 'vitest';
import { type RunningIdentity, startIdentity } from '../identity/testing/identity-harness.js';
import { KeystoneClient } from '../identity/testing/keystone-client.js';

/** The Identity stub's bootstrap creates the notifier's service user only when Nova is to be notified. */
describe('nova service user at bootstrap', () => {
  let identity: RunningIdentity | undefined;
  afterEach(async () => {
    await identity?.close();
    identity = undefined;
  });

  it('exists with nova.url set: admin in the service project, with the configured password', async () => {
    identity = await startIdentity({ config: { nova: { url: 'http://127.0.0.1:8774', password: 's3cret' } } });
    const keystone = new KeystoneClient(identity.origin);
    expect((await keystone.password('nova', 'nova', 'service')).status).toBe(401);
    const token = await keystone.token('nova', 's3cret', 'service');
    expect(await identity.services.tokens.validate(token)).toMatchObject({ user_name: 'nova', project_name: 'service', is_admin: true });
  });

  it('does not exist without nova.url: no admin account with a well-known default password', async () => {
    identity = await startIdentity();
    const keystone = new KeystoneClient(identity.origin);
    expect((await keystone.password('nova', 'nova', 'service')).status).toBe(401);
    const admin = await keystone.token('admin', identity.config.identity.admin_password, 'admin');
    const projects = await keystone.call('GET', '/v3/projects?name=service', { token: admin });
    expect(projects.body.projects).toEqual([]);
  });
});
