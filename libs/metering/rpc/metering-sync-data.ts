import type { EntityManager } from 'typeorm';
import { AGENTS_TABLE } from '../../agents-api/agent.entity.js';
import { sqlAnyOf, sqlBool, sqlFlag, sqlRows } from '../../db/index.js';
import { ROUTERS_TABLE } from '../../l3/l3.entities.js';
import { L3_BINDINGS_TABLE } from '../../l3/scheduler/router-l3-agent-binding.entity.js';
import { AGENT_TYPES } from '../../rpc/agent-state.contract.js';
import type { MeteringLabelInfo, MeteringRouterInfo, MeteringRuleInfo } from '../../rpc/metering-agent.contract.js';
import { METERING_LABEL_RULES_TABLE, METERING_LABELS_TABLE } from '../metering.entities.js';
import { presentRule } from '../metering-label-rules.service.js';

export interface SyncScope {
  /** the routers of the L3 agents on this host */
  host?: string;
  routerIds?: readonly string[];
  /** keep routers no label applies to (a notice names them: their labels went) */
  keepUnlabelled?: boolean;
}

interface RouterRaw {
  id: string;
  name: string;
  project_id: string;
  status: string;
  gw_port_id: string | null;
}

/**
 * get_sync_data_metering (MeteringDbMixin._process_sync_metering_data, then metering_rpc's filter by host): routers
 * that are up, each with the labels that apply to it (shared ones, and its project's) and their rules. Three queries
 * whatever the number of routers and labels: routers, labels, rules.
 */
export async function meteringSyncData(em: EntityManager, scope: SyncScope): Promise<MeteringRouterInfo[]> {
  const where: string[] = ['r.admin_state_up = ?'];
  const params: unknown[] = [sqlBool(em, true)];
  let from = `${ROUTERS_TABLE} r`;
  if (scope.host !== undefined) {
    from += ` JOIN ${L3_BINDINGS_TABLE} b ON b.router_id = r.id JOIN ${AGENTS_TABLE} a ON a.id = b.l3_agent_id`;
    where.push('a.host = ?', 'a.agent_type = ?');
    params.push(scope.host, AGENT_TYPES.l3.agent_type);
  }
  if (scope.routerIds !== undefined) {
    if (!scope.routerIds.length) return [];
    const [cond, param] = sqlAnyOf(em, 'r.id', scope.routerIds);
    where.push(cond);
    params.push(param);
  }
  const routers = await sqlRows<RouterRaw>(
    em,
    `SELECT DISTINCT r.id, r.name, r.project_id, r.status, r.gw_port_id FROM ${from} WHERE ${where.join(' AND ')} ORDER BY r.id`,
    params,
  );
  if (!routers.length) return [];
  const labels = await labelsFor(em, [...new Set(routers.map((r) => r.project_id))]);
  const byProject = new Map<string, MeteringLabelInfo[]>();
  const shared: MeteringLabelInfo[] = [];
  for (const label of labels) {
    if (label.shared) shared.push(label);
    else (byProject.get(label.project_id) ?? byProject.set(label.project_id, []).get(label.project_id)!).push(label);
  }
  const out: MeteringRouterInfo[] = [];
  for (const r of routers) {
    // Neutron lists a router once per label, shared ones first in label order; one list per router here, by label id
    const own = [...shared, ...(byProject.get(r.project_id) ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (!own.length && !scope.keepUnlabelled) continue;
    out.push({ id: r.id, name: r.name, project_id: r.project_id, admin_state_up: true, status: r.status, gw_port_id: r.gw_port_id, distributed: false, _metering_labels: own });
  }
  return out;
}

/** The labels of these projects and every shared label, with their rules: two queries. */
async function labelsFor(em: EntityManager, projectIds: readonly string[]): Promise<MeteringLabelInfo[]> {
  const [cond, param] = sqlAnyOf(em, 'l.project_id', projectIds);
  const rows = await sqlRows<{ id: string; name: string; shared: unknown; project_id: string }>(
    em,
    `SELECT l.id, l.name, l.shared, l.project_id FROM ${METERING_LABELS_TABLE} l WHERE l.shared = ? OR ${cond} ORDER BY l.id`,
    [sqlBool(em, true), param],
  );
  if (!rows.length) return [];
  const [ruleCond, ruleParam] = sqlAnyOf(em, 'metering_label_id', rows.map((r) => r.id));
  const rules = await sqlRows<Record<string, unknown>>(em, `SELECT * FROM ${METERING_LABEL_RULES_TABLE} WHERE ${ruleCond} ORDER BY id`, [ruleParam]);
  const rulesOf = new Map<string, MeteringRuleInfo[]>();
  for (const raw of rules) {
    const rule = presentRule(raw) as unknown as MeteringRuleInfo;
    (rulesOf.get(rule.metering_label_id) ?? rulesOf.set(rule.metering_label_id, []).get(rule.metering_label_id)!).push(rule);
  }
  return rows.map((r) => ({ id: r.id, name: r.name, shared: sqlFlag(r.shared), project_id: r.project_id, rules: rulesOf.get(r.id) ?? [] }));
}

/** The hosts of the L3 agents (administratively up) hosting each of these routers: one query. */
export async function routerHosts(em: EntityManager, routerIds: readonly string[]): Promise<Map<string, string[]>> {
  const perHost = new Map<string, string[]>();
  if (!routerIds.length) return perHost;
  const [cond, param] = sqlAnyOf(em, 'b.router_id', routerIds);
  const rows = await sqlRows<{ router_id: string; host: string }>(
    em,
    `SELECT b.router_id, a.host FROM ${L3_BINDINGS_TABLE} b JOIN ${AGENTS_TABLE} a ON a.id = b.l3_agent_id WHERE ${cond} AND a.admin_state_up = ? ORDER BY b.router_id`,
    [param, sqlBool(em, true)],
  );
  for (const r of rows) (perHost.get(r.host) ?? perHost.set(r.host, []).get(r.host)!).push(r.router_id);
  return perHost;
}

/** The routers a label applies to: every router when shared, else its project's. */
export async function routersOfLabel(em: EntityManager, label: { shared: boolean; project_id: string }): Promise<string[]> {
  const rows = label.shared
    ? await sqlRows<{ id: string }>(em, `SELECT id FROM ${ROUTERS_TABLE} ORDER BY id`)
    : await sqlRows<{ id: string }>(em, `SELECT id FROM ${ROUTERS_TABLE} WHERE project_id = ? ORDER BY id`, [label.project_id]);
  return rows.map((r) => r.id);
}
