/**
 * A router's metering in nft: one table of its own, `inet neutron-meter`, beside the L3 agent's iptables tables (the
 * two never touch each other's rules). Per label a named counter `neutron-meter-l-<label>` (the count Neutron keeps
 * in its label chain) and a rules chain `neutron-meter-r-<label>` that the forward hook jumps to; a rule that
 * matches either returns (excluded) or counts. A named counter is read and zeroed in one atomic
 * `nft reset counters table inet neutron-meter`, and outlives every change of the rules around it.
 *
 * `meteringChanges` is the `nft -f` input taking what is live to what is wanted in one transaction: counters of
 * labels that stay are never re-created (their counts survive), changed rules chains are flushed and refilled,
 * labels that went lose their chain and counter last.
 */
import { counterName, type MeteredRouter, ruleLines, rulesChain } from './metering-state.js';

export const METER_TABLE = 'neutron-meter';
const T = `inet ${METER_TABLE}`;
/** The forward hook at the filter priority: it sees what the router forwards, whatever iptables does beside it. */
export const TOP_CHAIN = 'neutron-meter-FORWARD';
const TOP_CHAIN_SPEC = `{ type filter hook forward priority filter; policy accept; }`;

/**
 * The whole table as `nft list table` shows it once built from nothing, counters at 0 (golden files, and the linux
 * spec's check of what the kernel holds): counters, then the rules chains, then the hook chain, in creation order.
 */
export function renderMeteringTable(router: MeteredRouter): string {
  const blocks: string[][] = [];
  for (const label of router.labels) blocks.push([`\tcounter ${counterName(label.id)} {`, '\t\tpackets 0 bytes 0', '\t}']);
  for (const label of router.labels) blocks.push([`\tchain ${rulesChain(label.id)} {`, ...ruleLines(label, router.gateway).map((r) => `\t\t${r}`), '\t}']);
  blocks.push([`\tchain ${TOP_CHAIN} {`, '\t\ttype filter hook forward priority filter; policy accept;', ...router.labels.map((l) => `\t\tjump ${rulesChain(l.id)}`), '\t}']);
  return `table ${T} {\n${blocks.map((b) => b.join('\n')).join('\n\n')}\n}\n`;
}

/**
 * `nft -f` input taking `current` (null: unknown, so the table is made anew) to `desired` (null: no metering on the
 * router, the table goes); '' when nothing changes.
 */
export function meteringChanges(current: MeteredRouter | null, desired: MeteredRouter | null): string {
  if (!desired) return current ? `delete table ${T}\n` : '';
  const out: string[] = [];
  if (!current) {
    // a table left by an earlier run (or a failed apply) is replaced: `add` then `delete` never fails
    out.push(`add table ${T}`, `delete table ${T}`);
  }
  out.push(`add table ${T}`);
  const had = new Map((current?.labels ?? []).map((l) => [l.id, l]));
  const wanted = new Set(desired.labels.map((l) => l.id));
  const sameGateway = current?.gateway === desired.gateway;
  for (const label of desired.labels) {
    const before = had.get(label.id);
    if (before === label && sameGateway) continue;
    const lines = ruleLines(label, desired.gateway);
    if (!before) out.push(`add counter ${T} ${counterName(label.id)}`, `add chain ${T} ${rulesChain(label.id)}`);
    else if (sameLines(ruleLines(before, current!.gateway), lines)) continue;
    else out.push(`flush chain ${T} ${rulesChain(label.id)}`);
    for (const rule of lines) out.push(`add rule ${T} ${rulesChain(label.id)} ${rule}`);
  }
  const jumpsBefore = (current?.labels ?? []).map((l) => l.id);
  const jumpsAfter = desired.labels.map((l) => l.id);
  if (!current || !sameLines(jumpsBefore, jumpsAfter)) {
    out.push(`add chain ${T} ${TOP_CHAIN} ${TOP_CHAIN_SPEC}`, `flush chain ${T} ${TOP_CHAIN}`);
    for (const id of jumpsAfter) out.push(`add rule ${T} ${TOP_CHAIN} jump ${rulesChain(id)}`);
  }
  for (const label of current?.labels ?? []) {
    if (wanted.has(label.id)) continue;
    // after the jumps to it went (same transaction), then its counter
    out.push(`delete chain ${T} ${rulesChain(label.id)}`, `delete counter ${T} ${counterName(label.id)}`);
  }
  return out.length === 1 && current ? '' : out.join('\n') + '\n';
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Counts of one label, as read. */
export interface Counts {
  pkts: number;
  bytes: number;
}

/**
 * The output of `nft -j reset counters table inet neutron-meter` (the counts before the reset) → counts by label id.
 * Counters that are not a label's are ignored.
 */
export function parseCounters(json: string): Map<string, Counts> {
  const out = new Map<string, Counts>();
  const doc = JSON.parse(json) as { nftables?: { counter?: { name?: string; packets?: number; bytes?: number } }[] };
  const prefix = counterName('');
  for (const item of doc.nftables ?? []) {
    const c = item.counter;
    if (!c?.name?.startsWith(prefix)) continue;
    out.set(c.name.slice(prefix.length), { pkts: Number(c.packets ?? 0), bytes: Number(c.bytes ?? 0) });
  }
  return out;
}
