import type { SelectQueryBuilder } from 'typeorm';
import type { CustomFilter } from '../../api/sql/list-query.js';
import { IP_ALLOCATIONS_TABLE } from '../ipam/ipam.contract.js';
import type { PortRow } from './port.entity.js';

/**
 * The ports filter that is not a column (ml2 `_get_ports_query`): fixed_ips sub-filters, each an EXISTS on the
 * allocations so the list stays one query.
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
  };
}

function bind(qb: SelectQueryBuilder<PortRow>, param: () => string, value: unknown): string {
  const name = param();
  qb.setParameter(name, value);
  return name;
}
