import type { SelectQueryBuilder } from 'typeorm';
import type { CustomFilter } from '../../api/sql/list-query.js';
import { PORT_SECURITY_GROUP_BINDINGS_TABLE } from '../../security-groups/security-groups.contract.js';
import { IP_ALLOCATIONS_TABLE } from '../ipam/ipam.contract.js';
import type { PortRow } from './port.entity.js';

/**
 * The ports filters that are not a column (ml2 `_get_ports_query`): fixed_ips sub-filters and security_groups,
 * each an EXISTS on the related table so the list stays one query.
 */
export function portCustomFilters(alias: string): Record<string, CustomFilter<PortRow>> {
  return {
    fixed_ips: (qb, values, param) => {
      const byKey = new Map<string, string[]>();
      for (const v of values) {
        if (!Array.isArray(v)) continue;
        const [key, value] = v as [string, string];
        const list = byKey.get(key) ?? [];
        if (!list.includes(value)) list.push(value);
        byKey.set(key, list);
      }
      const allocated = (cond: string) =>
        `EXISTS (SELECT 1 FROM ${qb.escape(IP_ALLOCATIONS_TABLE)} ia WHERE ia.port_id = ${alias}.id AND ${cond})`;
      const ips = byKey.get('ip_address');
      if (ips) qb.andWhere(allocated(`ia.ip_address IN (:...${bind(qb, param, ips)})`));
      const subnets = byKey.get('subnet_id');
      if (subnets) qb.andWhere(allocated(`ia.subnet_id IN (:...${bind(qb, param, subnets)})`));
      const substrings = byKey.get('ip_address_substr');
      if (substrings) {
        const any = substrings.map((s) => allocated(`ia.ip_address LIKE :${bind(qb, param, `%${s}%`)}`));
        qb.andWhere(`(${any.join(' OR ')})`);
      }
    },
    security_groups: (qb, values, param) => {
      const ids = values.flatMap((v) => (Array.isArray(v) ? v : [v])).map(String);
      if (!ids.length) return;
      qb.andWhere(
        `EXISTS (SELECT 1 FROM ${qb.escape(PORT_SECURITY_GROUP_BINDINGS_TABLE)} sgb ` +
          `WHERE sgb.port_id = ${alias}.id AND sgb.security_group_id IN (:...${bind(qb, param, ids)}))`,
      );
    },
  };
}

function bind(qb: SelectQueryBuilder<PortRow>, param: () => string, value: unknown): string {
  const name = param();
  qb.setParameter(name, value);
  return name;
}
