// The L2 agent's devices as the server finds them: by full port id, or by the `tap<port_id[:11]>` name a linux
// agent sees on its host.
import { describe, expect, it } from 'vitest';
import { type Json, useCoreHarness } from '../../../../test/support/core-harness.js';
import { BUS, type Bus } from '../../../bus/bus.contract.js';
import { SPEC_DIALECTS } from '../../../db/testing/scratch-database.js';
import { AGENT_TYPES, PLUGIN_TOPIC, REPORTS_TOPIC } from '../../../rpc/agent-state.contract.js';
import { type DeviceDetails, type DeviceDownResult, tapDevice } from '../../../rpc/l2-agent.contract.js';

describe.each(SPEC_DIALECTS)('L2 agent RPC: devices by tap name (%s)', (dialect) => {
  const h = useCoreHarness('l2_rpc_spec', [], dialect);
  const bus = () => h().app.get<Bus>(BUS);
  const rpc = <T>(method: string, payload: unknown) => bus().call<T>(PLUGIN_TOPIC, method, payload);
  const l2Agent = (host: string) =>
    bus().call(REPORTS_TOPIC, 'report_state', {
      agent_state: { ...AGENT_TYPES.l2, host, configurations: { interface_mappings: {}, tunnel_types: ['vxlan'] }, start_flag: true },
      time: new Date().toISOString(),
    });
  const boundPort = (networkId: string, host: string): Promise<Json> =>
    h().create('ports', { network_id: networkId, device_owner: 'compute:nova', device_id: 'vm-1', 'binding:host_id': host });

  it('finds the named ports among those bound to the agent’s host, and knows a port that moved to another host', async () => {
    await l2Agent('tap-host-a');
    await l2Agent('tap-host-b');
    const net = await h().create('networks', {});
    await h().create('subnets', { network_id: net.id, cidr: '10.33.0.0/24', ip_version: 4 });
    const [mine, neighbour, moved] = [await boundPort(net.id, 'tap-host-a'), await boundPort(net.id, 'tap-host-a'), await boundPort(net.id, 'tap-host-b')];
    const unknown = 'tapdeadbeef-00';

    const details = await rpc<DeviceDetails[]>('get_devices_details_list', {
      devices: [tapDevice(mine.id), tapDevice(moved.id), unknown],
      agent_id: 'l2',
      host: 'tap-host-a',
    });
    expect(details[0]).toMatchObject({ device: tapDevice(mine.id), port_id: mine.id, network_id: net.id, mac_address: mine.mac_address });
    expect(details.slice(1)).toEqual([{ device: tapDevice(moved.id) }, { device: unknown }]);
    expect((await h().call('GET', `ports/${mine.id}`)).body.port.status).toBe('BUILD');
    expect((await h().call('GET', `ports/${neighbour.id}`)).body.port.status).toBe('DOWN');

    await rpc('update_device_up', { device: tapDevice(mine.id), agent_id: 'l2', host: 'tap-host-a' });
    expect((await h().call('GET', `ports/${mine.id}`)).body.port.status).toBe('ACTIVE');
    // A device that went away here: the port bound to the other host exists (and keeps its status), an unknown one not.
    expect(await rpc<DeviceDownResult>('update_device_down', { device: tapDevice(moved.id), agent_id: 'l2', host: 'tap-host-a' })).toEqual({
      device: tapDevice(moved.id),
      exists: true,
    });
    expect(await rpc<DeviceDownResult>('update_device_down', { device: unknown, agent_id: 'l2', host: 'tap-host-a' })).toEqual({ device: unknown, exists: false });
    expect((await h().call('GET', `ports/${moved.id}`)).body.port.status).toBe('DOWN');
  });
});
