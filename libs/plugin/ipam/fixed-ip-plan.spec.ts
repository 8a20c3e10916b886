import { describe, expect, it } from 'vitest';
import { parseIpNetwork } from '../../api/validators/ip.js';
import { type AddressWish, planCreate, planUpdate, type PortAddressing } from './fixed-ip-plan.js';
import { formatAddress } from './ip-math.js';
import type { SubnetInfo } from './subnet-info.js';

const subnet = (id: string, cidr: string, mode: string | null = null): SubnetInfo => {
  const net = parseIpNetwork(cidr);
  return { id, networkId: 'net', projectId: 'p', version: net.version, net, raMode: mode, addressMode: mode, pools: [] };
};
const v4 = subnet('v4', '192.168.0.0/24');
const v4b = subnet('v4b', '10.0.0.0/24');
const slaac = subnet('slaac', '2001:db8::/64', 'slaac');
const stateful = subnet('stateful', '2001:db8:1::/64', 'dhcpv6-stateful');

const port = (deviceOwner = 'compute:nova'): PortAddressing => ({
  networkId: 'net',
  deviceOwner,
  macAddress: 'fa:16:3e:00:00:01',
  subnets: [v4, v4b, slaac, stateful],
  foreignSubnetIds: new Set(),
});

const show = (wishes: AddressWish[]) =>
  wishes.map((w) => ('ip' in w ? `${w.subnet.id}=${formatAddress(w.ip, w.subnet.version)}` : `any(${w.candidates.map((s) => s.id).join(',')})`));

describe('planCreate', () => {
  it('defaults to one IPv4 from any IPv4 subnet, one stateful IPv6 and every SLAAC address', () => {
    expect(show(planCreate(port(), undefined))).toEqual(['slaac=2001:db8::f816:3eff:fe00:1', 'any(v4,v4b)', 'any(stateful)']);
  });

  it('puts given addresses first and skips SLAAC for router ports', () => {
    expect(show(planCreate(port('network:router_interface'), [{ subnet_id: 'v4b' }, { ip_address: '192.168.0.7' }]))).toEqual([
      'v4=192.168.0.7',
      'any(v4b)',
    ]);
  });

  it('finds the subnet of a bare address in any version', () => {
    expect(show(planCreate({ ...port(), macAddress: undefined }, [{ ip_address: '2001:db8:1::9' }]))).toEqual(['stateful=2001:db8:1::9']);
  });
});

describe('planUpdate', () => {
  const current = [
    { subnet_id: 'v4', ip_address: '192.168.0.2' },
    { subnet_id: 'slaac', ip_address: '2001:db8::f816:3eff:fe00:1' },
  ];

  it('keeps a subnet-only request on its current address and the SLAAC address it did not mention', () => {
    const plan = planUpdate(port(), current, [{ subnet_id: 'v4' }]);
    expect(plan.keep).toEqual([current[0], current[1]]);
    expect(plan.remove).toEqual([]);
    expect(plan.add).toEqual([]);
  });

  it('releases stateful addresses the request drops and allocates the new ones', () => {
    const plan = planUpdate(port(), current, [{ ip_address: '10.0.0.5' }]);
    expect(plan.remove).toEqual([current[0]]);
    expect(plan.keep).toEqual([current[1]]);
    expect(show(plan.add)).toEqual(['v4b=10.0.0.5']);
  });

  it('moves an address by ip: the same address is kept, whatever subnet_id says', () => {
    const plan = planUpdate(port(), current, [{ subnet_id: 'v4', ip_address: '192.168.0.2' }, { subnet_id: 'stateful' }]);
    expect(plan.keep).toEqual([current[0], current[1]]);
    expect(show(plan.add)).toEqual(['any(stateful)']);
  });

  it('replaces the SLAAC address when the MAC changed', () => {
    const plan = planUpdate({ ...port(), macAddress: 'fa:16:3e:00:00:09' }, current, [{ subnet_id: 'v4' }]);
    expect(plan.keep).toEqual([current[0]]);
    expect(plan.remove).toEqual([current[1]]);
    expect(show(plan.add)).toEqual(['slaac=2001:db8::f816:3eff:fe00:9']);
  });
});
