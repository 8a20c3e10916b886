import { describe, expect, it } from 'vitest';
import type { DhcpNetworkInfo, DhcpPortInfo } from '../../../rpc/dhcp-agent.contract.js';
import { DhcpResponder } from './dhcp-responder.js';
import { NEUTRON_DHCP_DEFAULTS } from './dhcp-state.js';
import { DHCLIENT_DISCOVER } from './fixtures/captured-packets.js';
import { formatIpv4 } from './ipv4.js';
import { dhcpNetworkFromInfo } from './network-info.js';
import { parseDhcp } from './dhcp-codec.js';

const port = (id: string, mac: string, ip: string, device_owner = 'compute:nova'): DhcpPortInfo => ({
  id,
  mac_address: mac,
  device_owner,
  device_id: '',
  admin_state_up: true,
  fixed_ips: [{ subnet_id: 'sub', ip_address: ip }],
  extra_dhcp_opts: [],
});

function info(ports: DhcpPortInfo[], dhcpPort: DhcpPortInfo | null): DhcpNetworkInfo {
  return {
    id: 'net',
    project_id: 'p',
    mtu: 1450,
    admin_state_up: true,
    subnets: [
      { id: 'sub', cidr: '10.0.0.0/26', ip_version: 4, gateway_ip: '10.0.0.1', enable_dhcp: true, dns_nameservers: [], host_routes: [], ipv6_address_mode: null, ipv6_ra_mode: null },
    ],
    ports,
    dhcp_port: dhcpPort,
  };
}

describe('get_network_info → DHCP core input', () => {
  const dhcp = port('dhcp', 'fa:16:3e:00:00:02', '10.0.0.2', 'network:dhcp');

  it("serves the network's ports with the DHCP port's address as server id", () => {
    const network = dhcpNetworkFromInfo(info([port('vm', 'fa:16:3e:11:22:33', '10.0.0.5'), dhcp], dhcp));
    expect(network.dhcp_addresses).toEqual({ sub: '10.0.0.2' });
    expect(network.ports.map((p) => p.id)).toEqual(['vm']);
    const offer = parseDhcp(new DhcpResponder({ config: NEUTRON_DHCP_DEFAULTS, networks: [network] }).handle(DHCLIENT_DISCOVER).reply!.bytes)!;
    expect([formatIpv4(offer.yiaddr), [...offer.options.get(54)!].join('.')]).toEqual(['10.0.0.5', '10.0.0.2']);
  });

  it('leaves out the port types Neutron gives no host entry, keeps router interfaces', () => {
    const ports = [
      port('fip', 'fa:16:3e:00:00:10', '10.0.0.10', 'network:floatingip'),
      port('ha', 'fa:16:3e:00:00:11', '10.0.0.11', 'network:router_ha_interface'),
      port('rtr', 'fa:16:3e:00:00:01', '10.0.0.1', 'network:router_interface'),
      port('bare', 'fa:16:3e:00:00:12', '10.0.0.12', ''),
    ];
    expect(dhcpNetworkFromInfo(info(ports, dhcp)).ports.map((p) => p.id)).toEqual(['rtr', 'bare']);
  });

  it('without a DHCP port yet, the subnet is not served', () => {
    const r = new DhcpResponder({ config: NEUTRON_DHCP_DEFAULTS, networks: [dhcpNetworkFromInfo(info([port('vm', 'fa:16:3e:11:22:33', '10.0.0.5')], null))] });
    expect(r.handle(DHCLIENT_DISCOVER).reply).toBeUndefined();
  });
});
