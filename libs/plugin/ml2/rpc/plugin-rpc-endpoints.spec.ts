import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessBus } from '../../../bus/in-process-bus.js';
import { PLUGIN_TOPIC } from '../../../rpc/agent-state.contract.js';
import { PluginRpcEndpoints } from './plugin-rpc-endpoints.js';

describe('PluginRpcEndpoints', () => {
  const bus = new InProcessBus({ rpcTimeoutMs: 500, log: pino({ level: 'silent' }) });
  const endpoints = new PluginRpcEndpoints(bus);
  afterEach(() => endpoints.onModuleDestroy());

  it('serves the methods several modules added from one subscription of the topic', async () => {
    endpoints.add({ get_devices_details_list: () => 'l2' });
    endpoints.add({ get_network_info: () => 'dhcp' });
    endpoints.add({ sync_routers: () => 'l3' }, 'q-l3-plugin');
    expect(() => endpoints.add({ get_network_info: () => 'again' })).toThrow(/registered twice/);
    await endpoints.onApplicationBootstrap();
    expect(await bus.call(PLUGIN_TOPIC, 'get_devices_details_list', {})).toBe('l2');
    expect(await bus.call(PLUGIN_TOPIC, 'get_network_info', {})).toBe('dhcp');
    expect(await bus.call('q-l3-plugin', 'sync_routers', {})).toBe('l3');
    expect(endpoints.methods()).toEqual(['get_devices_details_list', 'get_network_info']);
    expect(() => endpoints.add({ late: () => null })).toThrow(/after the server started listening/);
  });
});
