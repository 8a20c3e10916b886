import { Inject, Injectable } from '@nestjs/common';
import { Database, sqlRows, sqlRun } from '../db/index.js';
import type { L3MeterPayload } from '../rpc/metering-agent.contract.js';
import { METERING_LABEL_TOTALS_TABLE, METERING_LABELS_TABLE } from './metering.entities.js';

/** A label's traffic counted so far (per router when the agents report in granular mode). */
export interface MeteringTotal {
  label_id: string;
  project_id: string;
  /** set when an agent in granular mode measured it on this router */
  router_id?: string;
  pkts: number;
  bytes: number;
}

/**
 * The per-label totals of what the metering agents reported (`l3.meter`), for `/metrics`. Kept in a table, not in
 * memory: any server replica may receive a report (one consumer per notification) and any replica may be scraped,
 * and a restart must not reset them; a report costs one upsert per label every report_interval. A report for a label
 * deleted meanwhile is dropped, and a deleted label's totals go with it (its delete and the foreign key).
 */
@Injectable()
export class MeteringTotals {
  constructor(@Inject(Database) private readonly db: Database) {}

  /** Adds one report's counts (an `l3.meter` payload) to its label's totals. */
  async add(report: L3MeterPayload): Promise<void> {
    const pkts = Math.max(0, Math.trunc(Number(report.pkts) || 0));
    const bytes = Math.max(0, Math.trunc(Number(report.bytes) || 0));
    const first = Math.trunc(Number(report.first_update) || 0);
    const last = Math.trunc(Number(report.last_update) || 0);
    await this.db.unitOfWork((em) =>
      sqlRun(
        em,
        `INSERT INTO ${METERING_LABEL_TOTALS_TABLE} (label_id, router_id, project_id, pkts, bytes, first_update, last_update)
         SELECT l.id, ?, l.project_id, ?, ?, ?, ? FROM ${METERING_LABELS_TABLE} l WHERE l.id = ?
         ON CONFLICT (label_id, router_id) DO UPDATE SET pkts = ${METERING_LABEL_TOTALS_TABLE}.pkts + excluded.pkts,
           bytes = ${METERING_LABEL_TOTALS_TABLE}.bytes + excluded.bytes, last_update = excluded.last_update`,
        [report.router_id ?? '', pkts, bytes, first, last, report.label_id],
      ),
    );
  }

  /** Every label's totals (0 before its first report), ordered by label then router: one query. */
  async list(): Promise<MeteringTotal[]> {
    const rows = await this.db.read((em) =>
      sqlRows<{ label_id: string; project_id: string; router_id: string | null; pkts: string | number; bytes: string | number }>(
        em,
        // A label no agent reported yet counts 0, so its series exist from its creation.
        `SELECT l.id AS label_id, l.project_id, t.router_id, COALESCE(t.pkts, 0) AS pkts, COALESCE(t.bytes, 0) AS bytes
         FROM ${METERING_LABELS_TABLE} l LEFT JOIN ${METERING_LABEL_TOTALS_TABLE} t ON t.label_id = l.id ORDER BY l.id, t.router_id`,
      ),
    );
    return rows.map((r) => ({
      label_id: r.label_id,
      project_id: r.project_id,
      ...(r.router_id ? { router_id: r.router_id } : {}),
      pkts: Number(r.pkts),
      bytes: Number(r.bytes),
    }));
  }
}
