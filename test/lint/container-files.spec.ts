/**
 * compose.yaml and the Dockerfile against the apps they start, without Docker (building images takes minutes; the
 * manual procedure is docs/container-image.md). What drifts when an agent or an entry point is added: an agent type
 * with no service (missing from `openstack network agent list`), a DHCP or L3 host without an L2 agent (their ports
 * stay DOWN), a command naming a bundle rolldown does not make (the container exits at start), a replica the
 * balancer does not know.
 */
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TYPES } from '../../apps/agent/agent.module.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(`${root}/${file}`, 'utf8');

interface ComposeService {
  command?: string[];
  image?: string;
  build?: unknown;
}
const compose = yaml.load(read('compose.yaml')) as { services: Record<string, ComposeService> };
const services = Object.entries(compose.services);

/** The agent services: each one's --type and --host values (apps/agent/main.ts reads them the same way). */
const agentServices = services
  .filter(([, s]) => s.command?.includes('dist/bundle/agent.js'))
  .map(([name, s]) => {
    const args = s.command!.slice(s.command!.indexOf('dist/bundle/agent.js') + 1);
    const { values } = parseArgs({ args, options: { type: { type: 'string' }, host: { type: 'string', multiple: true } } });
    return { name, type: values.type, hosts: values.host ?? [] };
  });
const hostsOf = (type: string) => agentServices.filter((a) => a.type === type).flatMap((a) => a.hosts);

describe('compose.yaml and the Dockerfile agree with the apps', () => {
  it('runs one agent service per agent type, each on named hosts', () => {
    expect(agentServices.map((a) => a.type).sort()).toEqual([...AGENT_TYPES].sort());
    for (const agent of agentServices) expect(agent.hosts, agent.name).not.toHaveLength(0);
  });

  it('has an L2 agent on every host where the DHCP and L3 agents plug their ports', () => {
    const l2Hosts = new Set(hostsOf('l2'));
    for (const host of [...hostsOf('dhcp'), ...hostsOf('l3')]) expect(l2Hosts.has(host), host).toBe(true);
  });

  it('balances every neutron-server replica on both ports', () => {
    const replicas = services.filter(([, s]) => s.command?.includes('dist/bundle/neutron-server.js')).map(([name]) => name);
    expect(replicas.length).toBeGreaterThan(1);
    const routes = compose.services.balancer.command!.filter((arg) => /^\d+=/.test(arg));
    const backends = (port: number) => routes.find((r) => r.startsWith(`${port}=`))!.slice(`${port}=`.length).split(',');
    for (const port of [9696, 5000]) expect(backends(port).sort()).toEqual(replicas.map((r) => `${r}:${port}`).sort());
  });

  describe('entry points', () => {
    let bundles: string[];
    beforeAll(async () => {
      type Build = { input: Record<string, string>; output: { dir: string; entryFileNames: string } };
      const config = (await import(pathToFileURL(`${root}/rolldown.config.js`).href)) as { default: Build[] };
      bundles = config.default.flatMap((b) => Object.keys(b.input).map((name) => `${b.output.dir}/${b.output.entryFileNames.replace('[name]', name)}`));
    });

    it.each(['compose.yaml', 'Dockerfile'])('%s starts only bundles that rolldown makes', (file) => {
      const named = [...new Set(read(file).match(/dist\/bundle\/[\w-]+\.js/g))];
      expect(named.length).toBeGreaterThan(0);
      for (const bundle of named) expect(bundles, `${file}: ${bundle}`).toContain(bundle);
    });
  });

  it('builds neutron-appliance:latest from this repository: no registry holds it', () => {
    const appliance = services.filter(([, s]) => s.image === 'neutron-appliance:latest');
    expect(appliance.map(([name]) => name)).toEqual(expect.arrayContaining(['balancer', ...agentServices.map((a) => a.name)]));
    expect(appliance.filter(([, s]) => s.build)).not.toHaveLength(0);
  });
});

describe('the V8 code cache of the appliance bundle', () => {
  /** The flags before `script` in a shell command line: `node --a --b script`. */
  const flagsBefore = (command: string, script: string) =>
    new RegExp(`\\bnode\\s+((?:--\\S+\\s+)*)${script.replaceAll('.', '\\.')}`).exec(command)?.[1].trim().split(/\s+/);
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

  it('is written under the V8 flags that `npm start` and the image start the appliance with (V8 ignores it under others)', () => {
    const written = flagsBefore(scripts.build, 'dist/apps/appliance/write-code-cache.js');
    expect(written).toBeDefined();
    expect(flagsBefore(scripts.start, 'dist/bundle/appliance.js')).toEqual(written);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(read('Dockerfile'))![1]) as string[];
    expect(cmd.slice(1, cmd.indexOf('dist/bundle/appliance.js'))).toEqual(written);
  });
});
