import { sqlRows } from '../../db/index.js';
import type { UsageCounter } from '../engine/resource-registry.js';

/** Table-backed resources are counted by project_id (an indexed COUNT). */
export function countByProject(table: string): UsageCounter {
  const countSql = `SELECT COUNT(*) FROM ${table} WHERE project_id = ?`;
  const sql = `SELECT (${countSql}) AS n`;
  const count: UsageCounter = async (em, projectId) => {
    const [row] = await sqlRows<{ n: string | number }>(em, sql, [projectId]);
    return Number(row?.n ?? 0);
  };
  count.countSql = countSql;
  return count;
}
