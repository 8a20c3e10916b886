/**
 * What the agent measured since its last report (MeteringAgent._add_metering_info / _metering_notification): counts
 * added per label (per label and router in granular mode), with the time they cover, then reported and zeroed every
 * report_interval; an entry nothing was added to for a whole report_interval is forgotten.
 */
import type { L3MeterPayload } from '../../../rpc/metering-agent.contract.js';
import type { MeteredLabel, MeteredRouter } from './metering-state.js';

interface MeterInfo {
  label_id: string;
  project_id: string;
  router_id?: string;
  pkts: number;
  bytes: number;
  time: number;
  first_update: number;
  last_update: number;
}

export class MeterAccumulator {
  private readonly infos = new Map<string, MeterInfo>();

  constructor(private readonly granular: boolean) {}

  /** One read of a label's counter on a router (counts since the previous read), at `now` (unix seconds). */
  add(router: MeteredRouter, label: MeteredLabel, pkts: number, bytes: number, now: number): void {
    const key = this.granular ? `${router.router_id}/${label.id}` : label.id;
    let info = this.infos.get(key);
    if (!info) {
      info = { label_id: label.id, project_id: label.project_id, pkts: 0, bytes: 0, time: 0, first_update: now, last_update: now };
      if (this.granular) info.router_id = router.router_id;
      this.infos.set(key, info);
    }
    info.pkts += pkts;
    info.bytes += bytes;
    info.time += now - info.last_update;
    info.last_update = now;
  }

  /** The reports due now (every entry), zeroed after; entries not measured for `purgeAfter` seconds go. */
  report(host: string, now: number, purgeAfter: number): L3MeterPayload[] {
    const out: L3MeterPayload[] = [];
    for (const [key, info] of this.infos) {
      const { router_id, ...rest } = info;
      out.push({ ...rest, host, ...(router_id ? { router_id } : {}) });
      info.pkts = info.bytes = info.time = 0;
      if (info.last_update < now - purgeAfter) this.infos.delete(key);
    }
    return out;
  }

  get size(): number {
    return this.infos.size;
  }
}
