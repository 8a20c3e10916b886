/**
 * The metering agent's pure core: what the server says (routers with their labels and rules) becomes, per router, the
 * counters to keep and the rules that feed them (neutron/services/metering/drivers/iptables/iptables_driver.py's
 * rules, in nft words). No I/O: the drivers apply it, the specs check it with plain objects.
 */
import type { MeteringLabelInfo, MeteringRouterInfo, MeteringRuleInfo } from '../../../rpc/metering-agent.contract.js';

/** The L3 agent's gateway device of a router (Neutron's `qg-` + the port id, 14 characters). */
export const gatewayDevice = (portId: string) => `qg-${portId.slice(0, 11)}`;
export const routerNamespace = (routerId: string) => `qrouter-${routerId}`;

/** One match-and-action line of a label's rules chain, in nft syntax. */
export type RuleLine = string;

export interface MeteredLabel {
  id: string;
  /** the label's project (the router's when the server did not say) */
  project_id: string;
  name: string;
  shared: boolean;
  /** excluded rules (`return`) first, then counted ones; empty without a gateway */
  rules: RuleLine[];
}

/** What one router's namespace must hold for metering. */
export interface MeteredRouter {
  router_id: string;
  project_id: string;
  namespace: string;
  /** `qg-…`, or null: no gateway, nothing to match on, the counters stay */
  gateway: string | null;
  /** by label id, in id order */
  labels: MeteredLabel[];
}

/** The desired state of every router the server gave, by id (routers without labels are left out). */
export function compileRouters(routers: readonly MeteringRouterInfo[]): Map<string, MeteredRouter> {
  const out = new Map<string, MeteredRouter>();
  for (const router of routers) {
    const compiled = compileRouter(router);
    if (compiled) out.set(router.id, compiled);
  }
  return out;
}

export function compileRouter(router: MeteringRouterInfo): MeteredRouter | null {
  const labels = router._metering_labels ?? [];
  if (!labels.length || router.admin_state_up === false) return null;
  const gateway = router.gw_port_id ? gatewayDevice(router.gw_port_id) : null;
  return {
    router_id: router.id,
    project_id: router.project_id,
    namespace: routerNamespace(router.id),
    gateway,
    labels: [...labels].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((label) => compileLabel(label, router, gateway)),
  };
}

function compileLabel(label: MeteringLabelInfo, router: MeteringRouterInfo, gateway: string | null): MeteredLabel {
  const rules = gateway ? label.rules ?? [] : [];
  const excluded = rules.filter((r) => r.excluded).map((r) => ruleLine(r, gateway!, label.id)).filter((l): l is string => l !== null);
  const counted = rules.filter((r) => !r.excluded).map((r) => ruleLine(r, gateway!, label.id)).filter((l): l is string => l !== null);
  return { id: label.id, project_id: label.project_id || router.project_id, name: label.name, shared: label.shared, rules: [...excluded, ...counted] };
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
export function ruleLine(rule: MeteringRuleInfo, gateway: string, labelId: string): RuleLine | null {
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
  parts.push(`${egress ? 'oifname' : 'iifname'} "${gateway}"`);
  parts.push(rule.excluded ? 'return' : `counter name "${counterName(labelId)}"`);
  return parts.join(' ');
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

/** Two routers' states are the same (nothing to apply). */
export function sameRouter(a: MeteredRouter | null | undefined, b: MeteredRouter | null | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
