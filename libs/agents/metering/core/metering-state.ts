/**
 * The metering agent's pure core: what the server says (labels with their rules, routers) becomes, per router, the
 * counters to keep and the rules that feed them (neutron/services/metering/drivers/iptables/iptables_driver.py's
 * rules, in nft words). No I/O: the drivers apply it, the specs check it with plain objects.
 *
 * Sizes: a label is compiled once, its rules into lines without the gateway device; a router holds a reference to
 * the list of labels that apply to it, one list shared by every router of its project. A router's rule lines (its
 * gateway in each) exist only while its nft text is rendered.
 */
import type { MeteringLabelInfo, MeteringRouterInfo, MeteringRuleInfo } from '../../../rpc/metering-agent.contract.js';

/** The L3 agent's gateway device of a router (Neutron's `qg-` + the port id, 14 characters). */
export const gatewayDevice = (portId: string) => `qg-${portId.slice(0, 11)}`;
export const routerNamespace = (routerId: string) => `qrouter-${routerId}`;

/** One match-and-action line of a label's rules chain, in nft syntax. */
export type RuleLine = string;

/** A rule line but its gateway device: `${head} "${gateway}" ${tail}`. */
export interface RuleTemplate {
  head: string;
  tail: string;
}

/** A label as every router it applies to keeps it: immutable (a change of its rules is a new object). */
export interface MeteredLabel {
  id: string;
  project_id: string;
  name: string;
  shared: boolean;
  /** excluded rules (`return`) first, then counted ones */
  rules: readonly RuleTemplate[];
}

/** What one router's namespace must hold for metering. */
export interface MeteredRouter {
  router_id: string;
  project_id: string;
  namespace: string;
  /** `qg-…`, or null: no gateway, nothing to match on, the counters stay */
  gateway: string | null;
  /** in id order; shared with the other routers of the project (never changed in place) */
  labels: readonly MeteredLabel[];
}

export function compileLabel(label: MeteringLabelInfo): MeteredLabel {
  const rules = label.rules ?? [];
  const templates = [...rules.filter((r) => r.excluded), ...rules.filter((r) => !r.excluded)]
    .map((r) => ruleTemplate(r, label.id))
    .filter((t): t is RuleTemplate => t !== null);
  return { id: label.id, project_id: label.project_id, name: label.name, shared: label.shared, rules: templates };
}

/** A label's rule lines on a router with this gateway (none without one). */
export function ruleLines(label: MeteredLabel, gateway: string | null): RuleLine[] {
  return gateway ? label.rules.map((t) => `${t.head} "${gateway}" ${t.tail}`) : [];
}

/** A router's state: its labels are the list given (the shared ones and its project's, by id). */
export function meteredRouter(router: MeteringRouterInfo, labels: readonly MeteredLabel[]): MeteredRouter {
  return {
    router_id: router.id,
    project_id: router.project_id,
    namespace: routerNamespace(router.id),
    gateway: router.gw_port_id ? gatewayDevice(router.gw_port_id) : null,
    labels,
  };
}

function sameLabel(a: MeteredLabel, b: MeteredLabel): boolean {
  return (
    a.id === b.id &&
    a.project_id === b.project_id &&
    a.name === b.name &&
    a.shared === b.shared &&
    a.rules.length === b.rules.length &&
    a.rules.every((r, i) => r.head === b.rules[i].head && r.tail === b.rules[i].tail)
  );
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Every label the agent knows, each once, with the lists of labels that apply to the routers of a project (Neutron's
 * _process_sync_metering_data: the shared labels and the project's own), built once per project and kept until a
 * label changes.
 */
export class LabelCatalog {
  private readonly labels = new Map<string, MeteredLabel>();
  private readonly perProject = new Map<string, readonly MeteredLabel[]>();
  private shared: MeteredLabel[] | null = null;

  get size(): number {
    return this.labels.size;
  }

  get(id: string): MeteredLabel | undefined {
    return this.labels.get(id);
  }

  ids(): IterableIterator<string> {
    return this.labels.keys();
  }

  /** Adds or replaces a label (an unchanged one keeps its object, so routers holding it are up to date); the old one is returned. */
  set(info: MeteringLabelInfo): MeteredLabel | undefined {
    const before = this.labels.get(info.id);
    const label = compileLabel(info);
    if (before && sameLabel(before, label)) return before;
    this.labels.set(info.id, label);
    this.changed();
    return before;
  }

  delete(id: string): MeteredLabel | undefined {
    const before = this.labels.get(id);
    if (before) {
      this.labels.delete(id);
      this.changed();
    }
    return before;
  }

  clear(): void {
    this.labels.clear();
    this.changed();
  }

  /** The labels that apply to a router of this project, by id (the same list for each router of the project). */
  forProject(projectId: string): readonly MeteredLabel[] {
    let list = this.perProject.get(projectId);
    if (!list) {
      if (!this.shared) this.shared = [...this.labels.values()].filter((l) => l.shared).sort(byId);
      const own = [...this.labels.values()].filter((l) => !l.shared && l.project_id === projectId);
      list = own.length ? [...this.shared, ...own].sort(byId) : this.shared;
      this.perProject.set(projectId, list);
    }
    return list;
  }

  /** Does a label apply to a router of this project. */
  static appliesTo(label: MeteredLabel, projectId: string): boolean {
    return label.shared || label.project_id === projectId;
  }

  private changed(): void {
    this.perProject.clear();
    this.shared = null;
  }
}

/** A label's counter: `neutron-meter-l-<label>` (Neutron's label chain, `neutron-meter-l-<label[:12]>`). */
export const counterName = (labelId: string) => `neutron-meter-l-${labelId}`;
/** A label's rules chain (Neutron's `neutron-meter-r-<label[:12]>`). */
export const rulesChain = (labelId: string) => `neutron-meter-r-${labelId}`;

/**
 * One rule (IptablesMeteringDriver._prepare_rule): egress leaves by the gateway, ingress comes in by it. The legacy
 * remote_ip_prefix is the source of egress traffic and the destination of ingress traffic, as Neutron's driver does
 * (prepare_source_and_destination_rule_legacy); source/destination prefixes mean what they say. Excluded: `return`
 * (uncounted, the next label's rules still see it), else the label's counter. null: prefixes of two families, which
 * no packet matches.
 */
export function ruleTemplate(rule: MeteringRuleInfo, labelId: string): RuleTemplate | null {
  const egress = rule.direction === 'egress';
  let source = rule.source_ip_prefix;
  let destination = rule.destination_ip_prefix;
  if (rule.remote_ip_prefix) {
    if (egress) source = rule.remote_ip_prefix;
    else destination = rule.remote_ip_prefix;
  }
  const families = new Set([source, destination].filter((p): p is string => !!p).map(familyOf));
  if (families.size > 1) return null;
  const parts: string[] = [];
  if (source) parts.push(prefixMatch('saddr', source));
  if (destination) parts.push(prefixMatch('daddr', destination));
  parts.push(egress ? 'oifname' : 'iifname');
  return { head: parts.join(' '), tail: rule.excluded ? 'return' : `counter name "${counterName(labelId)}"` };
}

const familyOf = (prefix: string) => (prefix.includes(':') ? 'ip6' : 'ip');

/** `ip saddr 10.0.0.0/8`; a /0 matches the whole family (`meta nfproto ipv4`), as iptables' -s 0.0.0.0/0 does. */
function prefixMatch(field: 'saddr' | 'daddr', prefix: string): string {
  const family = familyOf(prefix);
  const [address, length] = prefix.split('/');
  if (length === '0') return `meta nfproto ${family === 'ip' ? 'ipv4' : 'ipv6'}`;
  return `${family} ${field} ${normalise(address, Number(length ?? (family === 'ip' ? 32 : 128)), family)}`;
}

/**
 * nft refuses a prefix with host bits set: the network of it (what the kernel would compare anyway); a host prefix is
 * the bare address, as `nft list` shows it.
 */
function normalise(address: string, length: number, family: 'ip' | 'ip6'): string {
  const prefix = normaliseNetwork(address, length, family);
  return length === (family === 'ip' ? 32 : 128) ? prefix.split('/')[0] : prefix;
}

function normaliseNetwork(address: string, length: number, family: 'ip' | 'ip6'): string {
  if (family === 'ip') {
    const value = address.split('.').reduce((acc, o) => acc * 256n + BigInt(Number(o)), 0n);
    const mask = length === 0 ? 0n : ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - length)) - 1n);
    const net = value & mask;
    return `${[24n, 16n, 8n, 0n].map((s) => String((net >> s) & 255n)).join('.')}/${length}`;
  }
  const value = parseIpv6(address);
  if (value === null) return `${address}/${length}`;
  const mask = length === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - length)) - 1n);
  const net = value & mask;
  const groups = [...Array(8).keys()].map((i) => ((net >> BigInt(16 * (7 - i))) & 0xffffn).toString(16));
  return `${compressIpv6(groups)}/${length}`;
}

/** RFC 5952: the longest run of two or more zero groups becomes `::`. */
function compressIpv6(groups: string[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function parseIpv6(address: string): bigint | null {
  const [head, tail] = address.split('::');
  const part = (s: string | undefined) => (s ? s.split(':') : []);
  const left = part(head);
  const right = part(tail);
  const missing = 8 - left.length - right.length;
  if (address.includes('.') || missing < 0 || (tail === undefined && missing !== 0)) return null;
  const groups = [...left, ...Array(tail === undefined ? 0 : missing).fill('0'), ...right];
  return groups.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g || '0', 16)), 0n);
}

/** Two routers' states are the same (nothing to apply): labels are immutable, so the same ones are the same objects. */
export function sameRouter(a: MeteredRouter | null | undefined, b: MeteredRouter | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  if (a.gateway !== b.gateway || a.namespace !== b.namespace) return false;
  if (a.labels === b.labels) return true;
  return a.labels.length === b.labels.length && a.labels.every((l, i) => l === b.labels[i]);
}
