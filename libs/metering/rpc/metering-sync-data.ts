import type { EntityManager } from 'typeorm';
import { AGENTS_TABLE } from '../../agents-api/agent.entity.js';
import { sqlAnyOf, sqlBool, sqlFlag, sqlRows } from '../../db/index.js';
import { ROUTERS_TABLE } from '../../l3/l3.entities.js';
import { L3_BINDINGS_TABLE } from '../../l3/scheduler/router-l3-agent-binding.entity.js';
import { AGENT_TYPES } from '../../rpc/agent-state.contract.js';
import {
  METERING_MAX_PAGE,
  type MeteringLabelInfo,
  type MeteringLabelsPage,
  type MeteringRouterInfo,
  type MeteringRoutersPage,
  type MeteringRuleInfo,
} from '../../rpc/metering-agent.contract.js';
import { METERING_LABEL_RULES_TABLE, METERING_LABELS_TABLE } from '../metering.entities.js';
import { presentRule } from '../metering-label-rules.service.js';

/** One page: by ids (all of them that exist), or the `limit` after `after` in id order. */
export interface PageScope {
  after?: string;
  limit?: number;
  ids?: readonly string[];
  /** routers: only these projects' */
  projectIds?: readonly string[];
}

const pageSize = (limit: number | undefined) => Math.max(1, Math.min(METERING_MAX_PAGE, Math.floor(limit ?? METERING_MAX_PAGE)));

/** Keyset paging: one row more than the page tells whether another follows. */
function paged<T extends { id: string }>(rows: T[], scope: PageScope): { items: T[]; next: string | null } {
  if (scope.ids !== undefined) return { items: rows, next: null };
  const size = pageSize(scope.limit);
  if (rows.length <= size) return { items: rows, next: null };
  const items = rows.slice(0, size);
  return { items, next: items[items.length - 1].id };
}

/** `WHERE` of a page (after the conditions given), and its `LIMIT`. */
function pageWhere(em: EntityManager, column: string, scope: PageScope, where: string[], params: unknown[]): string {
  if (scope.ids !== undefined) {
    const [cond, param] = sqlAnyOf(em, column, scope.ids);
    where.push(cond);
    params.push(param);
    return '';
  }
  if (scope.after !== undefined) {
    where.push(`${column} > ?`);
    params.push(scope.after);
  }
  return ` LIMIT ${pageSize(scope.limit) + 1}`;
}

/**
 * get_metering_labels (2.0): labels with their rules, each once (MeteringDbMixin's labels and rules, without the
 * routers): two queries a page.
 */
export async function meteringLabelsPage(em: EntityManager, scope: PageScope): Promise<MeteringLabelsPage> {
  if (scope.ids !== undefined && !scope.ids.length) return { labels: [], next: null };
  const where: string[] = [];
  const params: unknown[] = [];
  const limit = pageWhere(em, 'l.id', scope, where, params);
  const rows = await sqlRows<{ id: string; name: string; shared: unknown; project_id: string }>(
    em,
    `SELECT l.id, l.name, l.shared, l.project_id FROM ${METERING_LABELS_TABLE} l${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY l.id${limit}`,
    params,
  );
  const { items, next } = paged(rows, scope);
  if (!items.length) return { labels: [], next: null };
  const [ruleCond, ruleParam] = sqlAnyOf(em, 'metering_label_id', items.map((r) => r.id));
  const rules = await sqlRows<Record<string, unknown>>(em, `SELECT * FROM ${METERING_LABEL_RULES_TABLE} WHERE ${ruleCond} ORDER BY id`, [ruleParam]);
  const rulesOf = new Map<string, MeteringRuleInfo[]>();
  for (const raw of rules) {
    const rule = presentRule(raw) as unknown as MeteringRuleInfo;
    (rulesOf.get(rule.metering_label_id) ?? rulesOf.set(rule.metering_label_id, []).get(rule.metering_label_id)!).push(rule);
  }
  const labels: MeteringLabelInfo[] = items.map((r) => ({ id: r.id, name: r.name, shared: sqlFlag(r.shared), project_id: r.project_id, rules: rulesOf.get(r.id) ?? [] }));
  return { labels, next };
}

/**
 * get_metering_routers (2.0): the routers of the L3 agents on `host` that are up (metering_rpc's filter by host, of
 * MeteringDbMixin's routers): one query a page. Which labels apply is the agent's to derive.
 */
export async function meteringRoutersPage(em: EntityManager, host: string, scope: PageScope): Promise<MeteringRoutersPage> {
  if (scope.ids !== undefined && !scope.ids.length) return { routers: [], next: null };
  const where = ['r.admin_state_up = ?', 'a.host = ?', 'a.agent_type = ?'];
  const params: unknown[] = [sqlBool(em, true), host, AGENT_TYPES.l3.agent_type];
  if (scope.projectIds !== undefined) {
    if (!scope.projectIds.length) return { routers: [], next: null };
    const [cond, param] = sqlAnyOf(em, 'r.project_id', scope.projectIds);
    where.push(cond);
    params.push(param);
  }
  const limit = pageWhere(em, 'r.id', scope, where, params);
  const rows = await sqlRows<MeteringRouterInfo>(
    em,
    `SELECT DISTINCT r.id, r.project_id, r.gw_port_id FROM ${ROUTERS_TABLE} r JOIN ${L3_BINDINGS_TABLE} b ON b.router_id = r.id ` +
      `JOIN ${AGENTS_TABLE} a ON a.id = b.l3_agent_id WHERE ${where.join(' AND ')} ORDER BY r.id${limit}`,
    params,
  );
  const { items, next } = paged(rows, scope);
  return { routers: items.map((r) => ({ id: r.id, project_id: r.project_id, gw_port_id: r.gw_port_id ?? null })), next };
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
