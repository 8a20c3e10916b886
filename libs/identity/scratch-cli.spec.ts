import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { it } from 'vitest';
import { startIdentity } from './testing/identity-harness.js';
const run = promisify(execFile);
it('cli tour', async () => {
  const id = await startIdentity();
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));
  Object.assign(env, { OS_AUTH_URL: `${id.origin}/v3`, OS_USERNAME: 'admin', OS_PASSWORD: 'admin', OS_PROJECT_NAME: 'admin', OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default', OS_IDENTITY_API_VERSION: '3' });
  const cmds = [
    'project create demo', 'project create --domain default --description hi --property foo=bar demo2', 'user create --password secret --project demo --email a@b.c alice',
    'role add --user alice --project demo member', 'project list', 'project list --long', 'project show demo', 'project show demo2', 'user list', 'user list --long', 'user show alice',
    'role list', 'role show member', 'role assignment list --names', 'role assignment list --user alice --effective --names', 'domain list', 'domain show default',
    'catalog list', 'catalog show network', 'endpoint list', 'service list', 'region list', 'project set --disable demo2', 'project set --name demo3 demo2', 'user set --password newpw alice',
    'role create observer', 'role create observer', 'role delete observer', 'project list --user alice', 'project list --my-projects', 'role remove --user alice --project demo member',
    'domain create dom2', 'domain set --disable dom2', 'domain delete dom2', 'user delete alice', 'project delete demo', 'project delete demo3', 'token revoke nonexistent', 'role add --user admin --system all reader', 'role assignment list --system all --names',
  ];
  for (const c of cmds) {
    try {
      const { stdout } = await run('/usr/bin/openstack', c.split(' '), { env, timeout: 60000 });
      console.log(`$ openstack ${c}\n${stdout}`);
    } catch (e) {
      console.log(`$ openstack ${c}\nFAILED: ${(e as { stderr?: string }).stderr}`);
    }
  }
  const py = `
import openstack
conn = openstack.connect(auth_url='${id.origin}/v3', username='admin', password='admin', project_name='admin', user_domain_name='Default', project_domain_name='Default')
print([p.name for p in conn.identity.projects()])
print(conn.identity.find_project('admin').id)
print([r.name for r in conn.identity.roles()])
print(conn.identity.get_endpoint(list(conn.identity.endpoints())[0].id).url)
print(conn.current_project_id)
`;
  try {
    const { stdout, stderr } = await run('/usr/bin/python3', ['-c', py], { env, timeout: 60000 });
    console.log('SDK', stdout, stderr);
  } catch (e) {
    console.log('SDK FAILED', (e as { stderr?: string }).stderr);
  }
  await id.close();
}, 600000);
