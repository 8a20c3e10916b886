import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_TYPES, REPORTS_TOPIC, type ReportStateRequest } from '../rpc/agent-state.contract.js';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { BusRemoteError, BusTimeoutError } from '../bus/bus.contract.js';
import { InProcessBus } from '../bus/in-process-bus.js';
import { AgentEntity } from './agent.entity.js';
import { AgentHeartbeatsService } from './agent-heartbeats.service.js';
import { AgentsApiModule } from './agents-api.module.js';
import { AgentsService } from './agents.service.js';
import { type AgentsHarness, openAgentsHarness } from './testing/agents-harness.js';

const request = (host: string, extra: object = {}): ReportStateRequest => ({
  agent_state: { ...AGENT_TYPES.dhcp, host, configurations: { networks: 1 }, start_flag: true, ...extra },
  time: new Date().toISOString(),
});

describe('report_state over the in-process bus', () => {
  let h: AgentsHarness;
  let bus: InProcessBus;
  let registry: ResourceRegistry;
  let module: AgentsApiModule;

  beforeAll(async () => {
    h = await openAgentsHarness('sqlite');
    bus = new InProcessBus({ rpcTimeoutMs: 300, log: pino({ level: 'silent' }) });
    registry = new ResourceRegistry();
    module = new AgentsApiModule(registry, new AgentsService(h.config), new AgentHeartbeatsService(h.db, h.config), bus);
    await module.onModuleInit();
  });
  afterAll(async () => {
    await bus?.close();
    await h?.close();
  });

  it('mounts /v2.0/agents and the agent extensions', () => {
    expect(registry.match(['agents', 'x'])?.resource?.name).toBe('agent');
    expect(registry.extensions).toEqual(expect.arrayContaining(['agent', 'agent-resources-synced', 'availability_zone']));
  });

  it('answers an agent’s report_state call and records the agent', async () => {
    expect(await bus.call(REPORTS_TOPIC, 'report_state', request('bus-host'))).toBe('alive');
    const rows = await h.db.read((em) => em.getRepository(AgentEntity).find({ where: { host: 'bus-host' } }));
    expect(rows).toEqual([expect.objectContaining({ agent_type: 'DHCP agent', topic: 'dhcp_agent', load: 1 })]);
  });

  it('sends a malformed report’s error back to the agent', async () => {
    const call = bus.call(REPORTS_TOPIC, 'report_state', { agent_state: { host: 'h' } });
    await expect(call).rejects.toBeInstanceOf(BusRemoteError);
    await expect(call).rejects.toThrow('agent_state.agent_type must be a non-empty string');
  });

  it('stops answering once the application shuts down', async () => {
    await module.onApplicationShutdown();
    await expect(bus.call(REPORTS_TOPIC, 'report_state', request('late-host'))).rejects.toBeInstanceOf(BusTimeoutError);
  });
});
