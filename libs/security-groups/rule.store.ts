import { anyOf } from '../db/index.js';
import { type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { ApiObject } from '../api/resource/resource-definition.js';
import { newStandardColumns, presentStandard } from '../api/resource/standard-row.js';
import { normalizedCidr, type RuleSpec, ruleKey } from './rule-validation.js';
import { SecurityGroupRuleEntity, type SecurityGroupRuleRow } from './security-group.entities.js';

/** The rules every new group starts with: egress to anywhere, and for `default` ingress from its own members too. */
export function initialRules(groupId: string, isDefault: boolean): RuleSpec[] {
  const any = { security_group_id: groupId, protocol: null, port_range_min: null, port_range_max: null, remote_ip_prefix: null };
  return ['IPv4', 'IPv6'].flatMap((ethertype) => [
    ...(isDefault ? [{ ...any, direction: 'ingress', ethertype, remote_group_id: groupId }] : []),
    { ...any, direction: 'egress', ethertype, remote_group_id: null },
  ]);
}

export function newRuleRow(spec: RuleSpec, projectId: string, description = ''): SecurityGroupRuleRow {
  return {
    ...newStandardColumns({ project_id: projectId, description }),
    security_group_id: spec.security_group_id,
    remote_group_id: spec.remote_group_id,
    direction: spec.direction,
    ethertype: spec.ethertype,
    protocol: spec.protocol,
    port_range_min: spec.port_range_min,
    port_range_max: spec.port_range_max,
    remote_ip_prefix: spec.remote_ip_prefix,
    normalized_cidr: normalizedCidr(spec.remote_ip_prefix),
    rule_key: ruleKey(spec),
  };
}

/**
 * Inserts a rule unless an equal one exists (the unique rule key decides; ON CONFLICT DO NOTHING keeps a PostgreSQL
 * transaction usable). Returns the id of the existing equal rule, or undefined when inserted.
 */
export async function insertRule(em: EntityManager, row: SecurityGroupRuleRow): Promise<string | undefined> {
  const repo = em.getRepository(SecurityGroupRuleEntity);
  await repo.createQueryBuilder().insert().values(row as QueryDeepPartialEntity<SecurityGroupRuleRow>).orIgnore().execute();
  const holder = await repo.findOne({ select: { id: true }, where: { rule_key: row.rule_key } });
  return holder && holder.id !== row.id ? holder.id : undefined;
}

/** Rules of many groups in one query, each group's oldest first. */
export async function loadRulesForGroups(em: EntityManager, groupIds: string[]): Promise<Map<string, SecurityGroupRuleRow[]>> {
  const byGroup = new Map<string, SecurityGroupRuleRow[]>();
  // Bound parameters per statement are limited (SQLite 32766, PostgreSQL 65535): huge admin lists go in slices.
  for (let i = 0; i < groupIds.length; i += IN_CHUNK) {
    const rows = await em.getRepository(SecurityGroupRuleEntity).find({
      where: { security_group_id: anyOf(em, groupIds.slice(i, i + IN_CHUNK)) },
      order: { created_at: 'ASC', id: 'ASC' },
    });
    addRows(byGroup, rows);
  }
  return byGroup;
}

const IN_CHUNK = 10_000;

function addRows(byGroup: Map<string, SecurityGroupRuleRow[]>, rows: SecurityGroupRuleRow[]): void {
  for (const row of rows) {
    const list = byGroup.get(row.security_group_id);
    if (list) list.push(row);
    else byGroup.set(row.security_group_id, [row]);
  }
}

/** A rule as the API shows it (also inside its group's security_group_rules). */
export function presentRule(row: SecurityGroupRuleRow): ApiObject {
  return {
    ...presentStandard(row, undefined),
    security_group_id: row.security_group_id,
    ethertype: row.ethertype,
    direction: row.direction,
    protocol: row.protocol,
    port_range_min: row.port_range_min,
    port_range_max: row.port_range_max,
    remote_ip_prefix: row.remote_ip_prefix,
    remote_address_group_id: null,
    normalized_cidr: row.normalized_cidr,
    remote_group_id: row.remote_group_id,
  };
}
