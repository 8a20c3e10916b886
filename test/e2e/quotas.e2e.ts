// Quotas under concurrency: creates racing for a project's last allowed networks. On PostgreSQL the check is made
// safe by a per-project advisory lock (quotas.service.ts); on SQLite by its single writer.
import { describe, expect, it } from 'vitest';
import { DIALECTS } from './support/appliance.js';
import { expectNeutronError, expectStatus, type Json } from './support/http.js';
import { newProject, useAppliance } from './support/suite.js';

const QUOTA = 4;
const CONCURRENT = 12;

describe.each(DIALECTS)('quotas under concurrent creates (%s)', (dialect) => {
  const ctx = useAppliance(dialect);

  it(`with quota ${QUOTA}, ${CONCURRENT} concurrent network creates in one project: exactly ${QUOTA} × 201, the rest 409 OverQuota`, async () => {
    const { api, projectId } = await newProject(ctx(), 'racing');
    expectStatus(await ctx().admin.put(`/v2.0/quotas/${projectId}`, { quota: { network: QUOTA } }), 200);

    const answers = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => api.post('/v2.0/networks', { network: { name: `race-${i}` } })));

    const createdIds = answers.filter((r) => r.status === 201).map((r) => r.body.network.id as string);
    expect(createdIds).toHaveLength(QUOTA);
    const refused = answers.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(CONCURRENT - QUOTA);
    for (const res of refused) expectNeutronError(res, 409, 'OverQuota', "Quota exceeded for resources: ['network'].");

    const listed = await ctx().admin.get(`/v2.0/networks?project_id=${projectId}&fields=id`);
    expectStatus(listed, 200);
    expect(listed.body.networks.map((n: Json) => n.id).sort()).toEqual([...createdIds].sort());
  });
});
