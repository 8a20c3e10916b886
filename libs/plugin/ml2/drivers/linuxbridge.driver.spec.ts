import { describe, expect, it } from 'vitest';
import type { AgentRecord } from '../../agents/agents.contract.js';
import type { Segment } from '../../segments/segments.contract.js';
import type { BindingRequest } from '../mechanism-driver.js';
import { LinuxbridgeMechanismDriver } from './linuxbridge.driver.js';

const agent = (over: Partial<AgentRecord> = {}): AgentRecord => ({
  id: 'a1',
  agent_type: 'Linux bridge agent',
  binary: 'neutron-linuxbridge-agent',
  host: 'compute1',
  topic: 'N/A',
  admin_state_up: true,
  alive: true,
  configurations: { interface_mappings: { physnet1: 'eth1' }, bridge_mappings: {}, tunnel_types: ['vxlan'] },
  availability_zone: null,
  ...over,
});

const segment = (network_type: string, physical_network: string | null, segmentation_id: number | null): Segment => ({
  id: `seg-${network_type}`,
  network_id: 'net',
  network_type,
  physical_network,
  segmentation_id,
  segment_index: 0,
});

const request = (segments: Segment[], hostAgents: AgentRecord[], vnic_type = 'normal'): BindingRequest => ({
  port: { id: 'p1', network_id: 'net', device_owner: 'compute:nova', status: 'DOWN', host: 'compute1', vnic_type, profile: {} },
  segments,
  hostAgents,
});

describe('LinuxbridgeMechanismDriver', () => {
  const driver = new LinuxbridgeMechanismDriver();

  it('binds a VXLAN segment through an agent that tunnels VXLAN, as vif_type bridge', () => {
    const result = driver.bindPort(request([segment('vxlan', null, 1001)], [agent()]));
    expect(result).toEqual({ segment: segment('vxlan', null, 1001), vif_type: 'bridge', vif_details: { connectivity: 'l2', port_filter: true } });
  });

  it('binds VLAN and flat only on a mapped physnet', () => {
    expect(driver.bindPort(request([segment('vlan', 'physnet1', 101)], [agent()]))?.segment.network_type).toBe('vlan');
    expect(driver.bindPort(request([segment('vlan', 'physnet2', 101)], [agent()]))).toBeUndefined();
    expect(driver.bindPort(request([segment('flat', 'physnet1', null)], [agent()]))?.segment.network_type).toBe('flat');
  });

  it('refuses a tunnel type the agent does not run, a dead agent, another agent type and other vnic types', () => {
    expect(driver.bindPort(request([segment('geneve', null, 5)], [agent()]))).toBeUndefined();
    expect(driver.bindPort(request([segment('vxlan', null, 5)], [agent({ alive: false })]))).toBeUndefined();
    expect(driver.bindPort(request([segment('vxlan', null, 5)], [agent({ agent_type: 'DHCP agent' })]))).toBeUndefined();
    expect(driver.bindPort(request([segment('vxlan', null, 5)], [agent()], 'direct'))).toBeUndefined();
  });

  it('takes the first segment the agent can reach on a multi-segment network', () => {
    const segments = [segment('vlan', 'physnet9', 100), segment('vxlan', null, 7)];
    expect(driver.bindPort(request(segments, [agent()]))?.segment.network_type).toBe('vxlan');
  });
});
