// MeteringTotals on both databases: the agents' l3.meter reports added up per label (and router) by one upsert each,
// a report for a label that is gone dropped, a deleted label's totals gone with it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPEC_DIALECTS, openScratchDatabase, type ScratchDatabase } from '../db/testing/scratch-database.js';
import type { L3MeterPayload } from '../rpc/metering-agent.contract.js';
import { MeteringLabelEntity, MeteringLabelRuleEntity, MeteringLabelTotalEntity } from './metering.entities.js';
import { MeteringTotals } from './metering-totals.service.js';
import { Metering1764000011000 } from './migrations/1764000011000-metering.js';

const report = (label_id: string, pkts: number, bytes: number, extra: Partial<L3MeterPayload> = {}): L3MeterPayload => ({
  label_id,
  project_id: 'p',
  pkts,
  bytes,
  time: 30,
  first_update: 1_700_000_000,
  last_update: 1_700_000_030,
  host: 'h',
  ...extra,
});

describe.each(SPEC_DIALECTS)('MeteringTotals (%s)', (dialect) => {
  let scratch: ScratchDatabase;
  let totals: MeteringTotals;

  beforeAll(async () => {
    scratch = await openScratchDatabase(dialect, {
      label: 'metering_totals',
      entities: [MeteringLabelEntity, MeteringLabelRuleEntity, MeteringLabelTotalEntity],
      migrations: [Metering1764000011000],
    });
    totals = new MeteringTotals(scratch.db);
  });
  afterAll(() => scratch?.close());

  const label = async (project_id: string) => {
    const id = randomUUID();
    await scratch.db.transaction((em) => em.getRepository(MeteringLabelEntity).insert({ id, project_id, name: 'l', description: '', shared: false }));
    return id;
  };

  it('adds reports up per label and per label and router, in counts past 2^32', async () => {
    const project = randomUUID();
    const a = await label(project);
    const b = await label(project);
    await totals.add(report(a, 5, 640));
    await totals.add(report(a, 3_000_000_000, 5_000_000_000));
    await totals.add(report(b, 1, 100, { router_id: 'r1' }));
    await totals.add(report(b, 2, 200, { router_id: 'r2' }));
    await totals.add(report(b, 1, 100, { router_id: 'r1' }));
    const mine = (await totals.list()).filter((t) => t.project_id === project);
    expect(mine).toEqual(
      expect.arrayContaining([
        { label_id: a, project_id: project, pkts: 3_000_000_005, bytes: 5_000_000_640 },
        { label_id: b, project_id: project, router_id: 'r1', pkts: 2, bytes: 200 },
        { label_id: b, project_id: project, router_id: 'r2', pkts: 2, bytes: 200 },
      ]),
    );
    expect(mine).toHaveLength(3);
  });

  it("drops a report for a label that is gone, and a deleted label's totals", async () => {
    const project = randomUUID();
    const a = await label(project);
    await totals.add(report(randomUUID(), 9, 9));
    await totals.add(report(a, 1, 1));
    await scratch.db.transaction(async (em) => {
      await em.getRepository(MeteringLabelTotalEntity).delete({ label_id: a });
      await em.getRepository(MeteringLabelEntity).delete({ id: a });
    });
    expect((await totals.list()).filter((t) => t.project_id === project)).toEqual([]);
  });
});
