/**
 * A router's iptables ruleset in neutron-l3-agent's chain layout (neutron/agent/linux/iptables_manager.py with the
 * binary name `neutron-l3-agent`): per table, the chains the agent owns (wrapped `neutron-l3-agent-<name>`, plus the
 * shared `neutron-filter-top` / `neutron-postrouting-bottom`) and the jumps it adds to the built-in chains.
 *
 * Two renderings, both `iptables-restore` input: `renderRuleset` is the whole ruleset (what a fresh namespace gets,
 * and the golden files), `rulesetChanges` is the diff from what is live (`iptables-restore --noflush`): only the
 * owned chains that changed are re-declared (which empties and refills them inside the one atomic commit of their
 * table), built-in jumps are added or deleted one by one, and chains no longer wanted are emptied and removed. Nothing
 * live is flushed as a whole.
 */

export const WRAP = 'neutron-l3-agent';
/** Neutron's iptables chain name limit (28) minus the wrap prefix and its dash. */
export const MAX_CHAIN_LEN_WRAP = 11;
export const wrapped = (chain: string) => `${WRAP}-${chain}`;

export type TableName = 'filter' | 'mangle' | 'nat';
/** Order of the tables in a rendering. */
export const TABLES: readonly TableName[] = ['filter', 'mangle', 'nat'];

export interface Table {
  /** Built-in chain → the rules the agent puts there (jumps to its own chains), in order. */
  builtin: Record<string, string[]>;
  /** Owned chain (full name) → its rules, in order. Every owned chain is declared, empty or not. */
  chains: Record<string, string[]>;
}

export type Ruleset = Record<TableName, Table>;

/** `iptables-restore` input for the whole ruleset (owned chains sorted by name, as iptables-save lists them). */
export function renderRuleset(ruleset: Ruleset): string {
  const out: string[] = [];
  for (const name of TABLES) {
    const table = ruleset[name];
    out.push(`*${name}`);
    const chains = Object.keys(table.chains).sort();
    for (const chain of chains) out.push(`:${chain} - [0:0]`);
    for (const [chain, rules] of Object.entries(table.builtin)) for (const rule of rules) out.push(`-A ${chain} ${rule}`);
    for (const chain of chains) for (const rule of table.chains[chain]) out.push(`-A ${chain} ${rule}`);
    out.push('COMMIT');
  }
  return out.join('\n') + '\n';
}

/**
 * `iptables-restore --noflush` input taking `current` (null: nothing of ours is live) to `desired`; '' when they are
 * equal. A table without changes is left out, so its commit is not even replayed.
 */
export function rulesetChanges(current: Ruleset | null, desired: Ruleset): string {
  const out: string[] = [];
  for (const name of TABLES) {
    const lines = tableChanges(current?.[name] ?? null, desired[name]);
    if (lines.length) out.push(`*${name}`, ...lines, 'COMMIT');
  }
  return out.length ? out.join('\n') + '\n' : '';
}

function tableChanges(current: Table | null, desired: Table): string[] {
  const declare: string[] = [];
  const fill: string[] = [];
  const builtinOps: string[] = [];
  const flush: string[] = [];
  const remove: string[] = [];
  for (const [chain, rules] of Object.entries(desired.chains).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const live = current?.chains[chain];
    if (live && sameRules(live, rules)) continue;
    // declaring an existing chain under --noflush empties it; the refill lands in the same commit
    declare.push(`:${chain} - [0:0]`);
    for (const rule of rules) fill.push(`-A ${chain} ${rule}`);
  }
  const builtins = new Set([...Object.keys(current?.builtin ?? {}), ...Object.keys(desired.builtin)]);
  for (const chain of builtins) {
    const live = current?.builtin[chain] ?? [];
    const want = desired.builtin[chain] ?? [];
    if (sameRules(live, want)) continue;
    // the agent's jumps are its whole part of a built-in chain: replace them, in order, leaving others' rules alone
    for (const rule of live) builtinOps.push(`-D ${chain} ${rule}`);
    for (const rule of want) builtinOps.push(`-A ${chain} ${rule}`);
  }
  for (const chain of Object.keys(current?.chains ?? {}).sort()) {
    if (chain in desired.chains) continue;
    // every gone chain is emptied before any is removed: one may still jump to another
    flush.push(`-F ${chain}`);
    remove.push(`-X ${chain}`);
  }
  return [...declare, ...builtinOps, ...fill, ...flush, ...remove];
}

function sameRules(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((rule, i) => rule === b[i]);
}
