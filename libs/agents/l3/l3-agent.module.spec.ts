import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { BUS, type Bus } from '../../bus/bus.contract.js';
import { BusModule } from '../../bus/index.js';
import { type AppConfig, ConfigModule, loadConfig } from '../../config/index.js';
import { REPORTS_TOPIC, type ReportStateRequest } from '../../rpc/agent-state.contract.js';
import { LinuxL3Driver } from './drivers/linux-l3-driver.js';
import { SimulatedL3Driver } from './drivers/simulated-l3-driver.js';
import { L3Agent } from './l3-agent.js';
import { l3DriverFor, L3AgentModule } from './l3-agent.module.js';

describe('L3 agent config', () => {
  it('is on by default (the server schedules routers and answers sync_routers), and can be turned off', () => {
    expect(loadConfig({ argv: [], env: {} }).agents.l3.enabled).toBe(true);
    expect(loadConfig({ argv: [], env: { APPLIANCE__AGENTS__L3__ENABLED: 'false' } }).agents.l3.enabled).toBe(false);
  });

  it('uses the driver dataplane.driver names', () => {
    expect(l3DriverFor(loadConfig({ argv: [], env: {} }))).toBeInstanceOf(SimulatedL3Driver);
    const linux = l3DriverFor(loadConfig({ argv: [], env: { APPLIANCE_DATAPLANE_DRIVER: 'linux', APPLIANCE_HOST_NAMESPACE: 'appliance-x' } }));
    expect(linux).toBeInstanceOf(LinuxL3Driver);
    expect(linux.configurations()).toEqual({ host_namespace: 'appliance-x' });
  });
});

describe('L3AgentModule', () => {
  it('starts the agent with the application, reporting as neutron-l3-agent, and stops it on close', async () => {
    const base = loadConfig({ argv: [], env: {} });
    const c: AppConfig = { ...base, agents: { ...base.agents, host: 'node1', report_interval: 0.05 } };
    @Module({ imports: [ConfigModule.forRoot(c), BusModule.forRoot(c, pino({ level: 'silent' })), L3AgentModule.forRoot()] })
    class TestModule {}
    const app = await NestFactory.createApplicationContext(TestModule, { logger: false });
    const reports: ReportStateRequest[] = [];
    await app.get<Bus>(BUS).subscribe(REPORTS_TOPIC, {
      report_state: (p) => {
        reports.push(p as ReportStateRequest);
        return 'alive';
      },
    });
    await app.init();
    await vi.waitFor(() => expect(reports.length).toBeGreaterThan(0));
    expect(reports[0].agent_state).toMatchObject({ binary: 'neutron-l3-agent', host: 'node1', topic: 'l3_agent' });
    expect(app.get(L3Agent)).toBeInstanceOf(L3Agent);
    await app.close();
  });
});
