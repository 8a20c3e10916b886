import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentState, ReportStateRequest } from '../rpc/agent-state.contract.js';
import { SPEC_DIALECTS } from '../db/testing/scratch-database.js';
import { AgentEntity } from './agent.entity.js';
import { AgentHeartbeatsService } from './agent-heartbeats.service.js';
import { AgentRegistryService } from './agent-registry.service.js';
import { type AgentsHarness, openAgentsHarness } from './testing/agents-harness.js';

let hosts = 0;
const newHost = () => `host-${process.pid}-${++hosts}`;

function report(host: string, extra: Partial<AgentState> = {}): ReportStateRequest {
  return {
    agent_state: {
      agent_type: 'Linux bridge agent',
      binary: 'neutron-linuxbridge-agent',
      topic: 'N/A',
      host,
      configurations: { interface_mappings: { physnet1: 'eth1' } },
      ...extra,
    },
    time: new Date().toISOString(),
  };
}

const at = (iso: string) => new Date(iso);

describe.each(SPEC_DIALECTS)('report_state (%s)', (dialect) => {
  let h: AgentsHarness;
  let heartbeats: AgentHeartbeatsService;
  const rows = (host: string) => h.db.read((em) => em.getRepository(AgentEntity).find({ where: { host } }));

  beforeAll(async () => {
    h = await openAgentsHarness(dialect);
    heartbeats = new AgentHeartbeatsService(h.db, h.config); // agent_down_time 75 s (config/default.yaml)
  });
  afterAll(() => h?.close());

  it('registers a new agent enabled, with every timestamp at the report time', async () => {
    const host = newHost();
    expect(await heartbeats.reportState(report(host, { start_flag: true }), at('2030-01-01T10:00:00.400Z'))).toBe('alive');
    const [row] = await rows(host);
    expect(row).toMatchObject({
      agent_type: 'Linux bridge agent',
      binary: 'neutron-linuxbridge-agent',
      topic: 'N/A',
      admin_state_up: true,
      created_at: '2030-01-01 10:00:00',
      started_at: '2030-01-01 10:00:00',
      heartbeat_timestamp: '2030-01-01 10:00:00',
      description: null,
      availability_zone: null,
      resources_synced: null,
    });
    expect(JSON.parse(row.configurations)).toEqual({ interface_mappings: { physnet1: 'eth1' } });
  });

  it('updates the heartbeat of a known agent and keeps its id, creation and start times', async () => {
    const host = newHost();
    await heartbeats.reportState(report(host, { start_flag: true }), at('2030-01-01T10:00:00Z'));
    const [before] = await rows(host);
    const answer = await heartbeats.reportState(report(host, { configurations: { devices: 3 } }), at('2030-01-01T10:00:30Z'));
    expect(answer).toBe('alive');
    const after = await rows(host);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id: before.id,
      created_at: '2030-01-01 10:00:00',
      started_at: '2030-01-01 10:00:00',
      heartbeat_timestamp: '2030-01-01 10:00:30',
    });
    expect(JSON.parse(after[0].configurations)).toEqual({ devices: 3 });
  });

  it('resets started_at when the agent reports start_flag (it restarted)', async () => {
    const host = newHost();
    await heartbeats.reportState(report(host, { start_flag: true }), at('2030-01-01T10:00:00Z'));
    await heartbeats.reportState(report(host, { start_flag: true }), at('2030-01-01T10:00:20Z'));
    expect((await rows(host))[0]).toMatchObject({ created_at: '2030-01-01 10:00:00', started_at: '2030-01-01 10:00:20' });
  });

  it('answers revived once after a silence longer than agent_down_time, then alive again', async () => {
    const host = newHost();
    await heartbeats.reportState(report(host), at('2030-01-01T10:00:00Z'));
    expect(await heartbeats.reportState(report(host), at('2030-01-01T10:01:15Z'))).toBe('alive'); // exactly 75 s: still alive
    expect(await heartbeats.reportState(report(host), at('2030-01-01T10:02:31Z'))).toBe('revived'); // 76 s
    expect(await heartbeats.reportState(report(host), at('2030-01-01T10:02:40Z'))).toBe('alive');
  });

  it('keeps a known availability zone when a report omits it, and takes a new one', async () => {
    const host = newHost();
    await heartbeats.reportState(report(host, { agent_type: 'DHCP agent', availability_zone: 'nova', configurations: { networks: 4 } }));
    await heartbeats.reportState(report(host, { agent_type: 'DHCP agent', configurations: { networks: 5 } }));
    expect((await rows(host))[0]).toMatchObject({ availability_zone: 'nova', load: 5 });
    await heartbeats.reportState(report(host, { agent_type: 'DHCP agent', availability_zone: 'az2' }));
    expect((await rows(host))[0].availability_zone).toBe('az2');
  });

  it('keeps one row per (agent_type, host): another type on the same host is another agent', async () => {
    const host = newHost();
    await heartbeats.reportState(report(host));
    await heartbeats.reportState(report(host, { agent_type: 'DHCP agent', binary: 'neutron-dhcp-agent', topic: 'dhcp_agent' }));
    expect((await rows(host)).map((r) => r.agent_type).sort()).toEqual(['DHCP agent', 'Linux bridge agent']);
  });

  it('makes one row of many concurrent first reports of one agent', async () => {
    const host = newHost();
    const answers = await Promise.all(Array.from({ length: 8 }, () => heartbeats.reportState(report(host, { start_flag: true }))));
    expect(answers.every((a) => a === 'alive')).toBe(true);
    expect(await rows(host)).toHaveLength(1);
  });

  it('refuses a malformed report without writing anything', async () => {
    const host = newHost();
    const bad = { agent_state: { agent_type: 'L3 agent', host }, time: '' } as unknown as ReportStateRequest;
    await expect(heartbeats.reportState(bad)).rejects.toThrow('report_state: agent_state.binary must be a non-empty string');
    await expect(heartbeats.reportState({} as ReportStateRequest)).rejects.toThrow('agent_state missing');
    expect(await rows(host)).toEqual([]);
  });

  it('gives new agents admin_state_up=false when enable_new_agents is off', async () => {
    const off = await openAgentsHarness(dialect, { APPLIANCE__AGENTS__ENABLE_NEW_AGENTS: 'false' });
    try {
      await new AgentHeartbeatsService(off.db, off.config).reportState(report('h1'));
      const [row] = await off.db.read((em) => em.getRepository(AgentEntity).find());
      expect(row.admin_state_up).toBe(false);
    } finally {
      await off.close();
    }
  });

  it('tells binding which agents of a host are alive', async () => {
    const host = newHost();
    const other = newHost();
    const registry = new AgentRegistryService(h.config);
    await heartbeats.reportState(report(host));
    await heartbeats.reportState(report(other), new Date(Date.now() - 80_000));
    const onHost = await h.db.read((em) => registry.agentsOnHost(em, host, 'Linux bridge agent'));
    expect(onHost).toEqual([
      expect.objectContaining({ host, alive: true, admin_state_up: true, configurations: { interface_mappings: { physnet1: 'eth1' } } }),
    ]);
    expect(await h.db.read((em) => registry.agentsOnHost(em, host, 'DHCP agent'))).toEqual([]);
    const all = await h.db.read((em) => registry.agentsOfType(em, 'Linux bridge agent'));
    expect(all.find((a) => a.host === other)?.alive).toBe(false);
    expect(all.find((a) => a.host === host)?.alive).toBe(true);
  });
});

describe.runIf(SPEC_DIALECTS.includes('postgres'))('report_state from two server replicas (postgres)', () => {
  let h: AgentsHarness;
  beforeAll(async () => {
    h = await openAgentsHarness('postgres');
  });
  afterAll(() => h?.close());

  it('makes one row when both replicas receive the first report at once', async () => {
    const replica = await h.openReplica();
    const [a, b] = [new AgentHeartbeatsService(h.db, h.config), new AgentHeartbeatsService(replica, h.config)];
    for (let i = 0; i < 5; i++) {
      const host = `race-${i}`;
      await Promise.all([a.reportState(report(host)), b.reportState(report(host)), a.reportState(report(host)), b.reportState(report(host))]);
      expect(await h.db.read((em) => em.getRepository(AgentEntity).count({ where: { host } }))).toBe(1);
    }
  });

  it('answers revived to only one of two replicas reviving the same dead agent', async () => {
    const replica = await h.openReplica();
    const [a, b] = [new AgentHeartbeatsService(h.db, h.config), new AgentHeartbeatsService(replica, h.config)];
    await a.reportState(report('revive-race'), new Date(Date.now() - 100_000));
    const answers = await Promise.all([a.reportState(report('revive-race')), b.reportState(report('revive-race'))]);
    expect(answers.sort()).toEqual(['alive', 'revived']);
  });
});
