import { hostname } from 'node:os';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { BUS, type Bus } from '../../bus/bus.contract.js';
import { BusModule } from '../../bus/index.js';
import { type AppConfig, ConfigModule, loadConfig } from '../../config/index.js';
import { REPORTS_TOPIC, type ReportStateRequest } from '../../rpc/agent-state.contract.js';
import { driverFor, L2AgentFleet, l2AgentHosts, l2Capabilities, L2AgentsModule } from './l2-agent.module.js';
import { LinuxL2Driver } from './drivers/linux-l2-driver.js';
import { SimulatedL2Driver } from './drivers/simulated-l2-driver.js';

function config(agents: Partial<AppConfig['agents']>, l2: Partial<AppConfig['agents']['l2']> = {}): AppConfig {
  const base = loadConfig({ argv: [], env: {} });
  return { ...base, agents: { ...base.agents, ...agents, l2: { ...base.agents.l2, ...l2 } } };
}

describe('l2AgentHosts', () => {
  it('runs one agent for this node and one per extra host, each once', () => {
    expect(l2AgentHosts(config({ host: 'node1' }, { extra_hosts: ['compute1', 'node1', 'compute2'] }))).toEqual([
      'node1',
      'compute1',
      'compute2',
    ]);
  });

  it("uses the machine's hostname when agents.host is empty, and none when l2 is disabled", () => {
    expect(l2AgentHosts(config({ host: '' }, { extra_hosts: [] }))).toEqual([hostname()]);
    expect(l2AgentHosts(config({ host: 'node1' }, { enabled: false }))).toEqual([]);
  });

  it('APPLIANCE_DATAPLANE_DRIVER=linux gives this host the linux driver in APPLIANCE_HOST_NAMESPACE; extra hosts stay simulated', () => {
    const c = loadConfig({ argv: [], env: { APPLIANCE_DATAPLANE_DRIVER: 'linux', APPLIANCE_HOST_NAMESPACE: 'appliance-x' } });
    const caps = l2Capabilities(c);
    const own = driverFor(c, caps, { ownHost: true });
    expect(own).toBeInstanceOf(LinuxL2Driver);
    expect((own as LinuxL2Driver).namespace).toBe('appliance-x');
    // configured vxlan and geneve; linuxbridge terminates VXLAN only
    expect(caps.tunnelTypes).toEqual(['vxlan', 'geneve']);
    expect((own as LinuxL2Driver).capabilities.tunnelTypes).toEqual(['vxlan']);
    expect(driverFor(c, caps, { ownHost: false })).toBeInstanceOf(SimulatedL2Driver);
    expect(driverFor(config({ host: 'node1' }), caps, { ownHost: true })).toBeInstanceOf(SimulatedL2Driver);
  });
});

describe('L2AgentsModule', () => {
  it('starts an agent per host with the application and stops them on close', async () => {
    const c = config({ host: 'node1', report_interval: 0.05 }, { extra_hosts: ['compute1'] });
    @Module({ imports: [ConfigModule.forRoot(c), BusModule.forRoot(c, pino({ level: 'silent' })), L2AgentsModule.forRoot()] })
    class TestModule {}
    const app = await NestFactory.createApplicationContext(TestModule, { logger: false });
    const reports: string[] = [];
    await app.get<Bus>(BUS).subscribe(REPORTS_TOPIC, {
      report_state: (p) => {
        reports.push((p as ReportStateRequest).agent_state.host);
        return 'alive';
      },
    });
    await app.init();
    expect(app.get(L2AgentFleet).agents.map((a) => a.host)).toEqual(['node1', 'compute1']);
    await vi.waitFor(() => expect(new Set(reports)).toEqual(new Set(['node1', 'compute1'])));
    await app.close();
    const count = reports.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(reports.length).toBe(count);
  });
});
