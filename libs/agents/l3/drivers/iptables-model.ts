/**
 * An in-memory netfilter for the simulated driver and the specs: the tables of one namespace, changed by
 * `iptables-restore --noflush` input the way the real tool does it (a chain declaration empties an existing
 * user chain and sets a built-in chain's policy only; `-A`, `-D`, `-F`, `-X`; each table commits whole or not at all,
 * and a bad line fails the input). What the simulated driver holds is thus what the linux driver's commands would
 * leave, and the specs check the diffs against the whole ruleset through it.
 */
import type { Ruleset, Table, TableName } from '../core/ruleset.js';

const BUILTIN: Record<TableName, readonly string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

type Chains = Map<string, string[]>;

export class IptablesModel {
  private readonly tables = new Map<TableName, Chains>();

  constructor() {
    for (const [name, chains] of Object.entries(BUILTIN)) this.tables.set(name as TableName, new Map(chains.map((c) => [c, []])));
  }

  /** Applies `iptables-restore --noflush` input; throws (changing nothing of the failing table) on a bad line. */
  restore(input: string): void {
    let table: TableName | null = null;
    let work: Chains | null = null;
    for (const [i, raw] of input.split('\n').entries()) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const fail = (why: string) => new Error(`iptables-restore: line ${i + 1} failed (${why}): ${line}`);
      if (line.startsWith('*')) {
        if (work) throw fail('no COMMIT for the previous table');
        table = line.slice(1) as TableName;
        const live = this.tables.get(table);
        if (!live) throw fail(`no table ${table}`);
        work = new Map([...live].map(([c, rules]) => [c, [...rules]]));
      } else if (!work || !table) {
        throw fail('outside a table');
      } else if (line === 'COMMIT') {
        this.tables.set(table, work);
        work = table = null;
      } else if (line.startsWith(':')) {
        const chain = line.slice(1).split(' ')[0];
        if (!BUILTIN[table].includes(chain)) work.set(chain, []);
      } else {
        const [flag, chain, ...rest] = line.split(' ');
        const rule = rest.join(' ');
        const rules = work.get(chain);
        if (!rules) throw fail(`no chain ${chain}`);
        if (flag === '-A') {
          const target = /-j (\S+)/.exec(rule)?.[1];
          if (target && /^neutron-/.test(target) && !work.has(target)) throw fail(`no chain ${target}`);
          rules.push(rule);
        } else if (flag === '-D') {
          const at = rules.indexOf(rule);
          if (at < 0) throw fail('no such rule');
          rules.splice(at, 1);
        } else if (flag === '-F') {
          rules.length = 0;
        } else if (flag === '-X') {
          if (BUILTIN[table].includes(chain) || rules.length) throw fail('chain is built-in or not empty');
          for (const other of work.values()) if (other.some((r) => r.includes(`-j ${chain}`) && r.split(' ').includes(chain))) throw fail('chain is referenced');
          work.delete(chain);
        } else {
          throw fail(`unknown command ${flag}`);
        }
      }
    }
    if (work) throw new Error('iptables-restore: no COMMIT at the end');
  }

  /** What is live, in the core's Ruleset shape (built-in chains with rules; every user chain). */
  ruleset(): Ruleset {
    const out = {} as Ruleset;
    for (const [name, chains] of this.tables) {
      const table: Table = { builtin: {}, chains: {} };
      for (const [chain, rules] of chains) {
        if (!BUILTIN[name].includes(chain)) table.chains[chain] = [...rules];
        else if (rules.length) table.builtin[chain] = [...rules];
      }
      out[name] = table;
    }
    return out;
  }

  /** Every rule of the table, `-A chain rule` lines, for asserts and reports. */
  rules(table: TableName): string[] {
    return [...(this.tables.get(table) ?? [])].flatMap(([chain, rules]) => rules.map((r) => `-A ${chain} ${r}`));
  }
}
