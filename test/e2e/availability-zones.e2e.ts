import { describe, expect, it } from 'vitest';
import { cliFor } from './support/cli.js';
import { expectNeutronError } from './support/http.js';
import { createNetwork, useAppliance } from './support/suite.js';

describe.each(['sqlite', 'postgres'] as const)('availability zones (%s)', (dialect) => {
  const suite = useAppliance(dialect);

  it('lists the network zone for `openstack availability zone list --network`', async () => {
    const { app } = suite();
    const zones = (await cliFor(app).openstack(['availability', 'zone', 'list', '--network', '--long', '-f', 'json'])) as Record<string, string>[];
    expect(zones).toEqual([expect.objectContaining({ 'Zone Name': 'nova', 'Zone Status': 'available', 'Zone Resource': 'network' })]);
  });

  it('filters by name, resource and state and refuses unknown filters', async () => {
    const { admin } = suite();
    expect((await admin.get('/v2.0/availability_zones?resource=router')).body.availability_zones).toEqual([]);
    expect((await admin.get('/v2.0/availability_zones?name=nova&state=available&fields=name')).body.availability_zones).toEqual([{ name: 'nova' }]);
    expectNeutronError(await admin.get('/v2.0/availability_zones?zone=x'), 400, 'HTTPBadRequest', "['zone'] is invalid attribute for filtering");
  });

  it('accepts a known zone as a network hint and refuses an unknown one', async () => {
    const { admin } = suite();
    const net = await createNetwork(admin, { name: 'az-net', availability_zone_hints: ['nova'] });
    expect(net.availability_zone_hints).toEqual(['nova']);
    expectNeutronError(
      await admin.post('/v2.0/networks', { network: { availability_zone_hints: ['mars'] } }),
      404,
      'AvailabilityZoneNotFound',
      'AvailabilityZone mars could not be found.',
    );
  });
});
