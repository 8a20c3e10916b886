import { sqlRows } from '../../db/index.js';
import type { UsageCounter } from '../engine/resource-registry.js';

/** Table-backed resources are counted by project_id (an indexed COUNT). */
export function countByProject(table: string): UsageCounter {
  const sql = `SELECT COUNT(*) AS n FROM ${table} WHERE project_id = ?`;
  return async (em, projectId) => {
    const [row] = await sqlRows<{ n: string | number }>(em, sql, [projectId]);
    return Number(row?.n ?? 0);
  };
}
