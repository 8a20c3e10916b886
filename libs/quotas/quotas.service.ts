import { isPostgres } from '../db/index.js';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import type { QuotaEnforcer } from '../api/engine/ports.js';
import type { RequestContext } from '../api/resource/resource-definition.js';
import { sqlRows } from '../db/index.js';
import { QuotaEntity } from './quota.entity.js';
import { overQuota } from './quota.errors.js';

const QUOTAS_TABLE = QuotaEntity.options.tableName!;

/** Counts a project's rows of one resource (an indexed COUNT on its table). */
export type UsageCounter = (em: EntityManager, projectId: string) => Promise<number>;

/** Table-backed resources are counted by project_id. */
export function countByProject(table: string): UsageCounter {
  const sql = `SELECT COUNT(*) AS n FROM ${table} WHERE project_id = ?`;
  return async (em, projectId) => {
    const [row] = await sqlRows<{ n: string | number }>(em, sql, [projectId]);
    return Number(row?.n ?? 0);
  };
}

@Injectable()
export class QuotasService implements QuotaEnforcer {
  private readonly counters = new Map<string, UsageCounter>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Resources that exist in this build are counted; the others have limits but no usage yet. */
  registerResource(resource: string, counter: UsageCounter): void {
    this.counters.set(resource, counter);
  }

  resources(): string[] {
    return Object.keys(this.config.quotas);
  }

  defaults(): Record<string, number> {
    return { ...this.config.quotas };
  }

  async limits(em: EntityManager, projectId: string): Promise<Record<string, number>> {
    const rows = await em.getRepository(QuotaEntity).findBy({ project_id: projectId });
    const limits = this.defaults();
    for (const row of rows) if (row.resource in limits) limits[row.resource] = row.hard_limit;
    return limits;
  }

  /** One resource's limit (the project's override, else the default): undefined for a resource without a quota. */
  private async limit(em: EntityManager, projectId: string, resource: string): Promise<number | undefined> {
    if (!(resource in this.config.quotas)) return undefined;
    const [row] = await sqlRows<{ hard_limit: number }>(em, `SELECT hard_limit FROM ${QUOTAS_TABLE} WHERE project_id = ? AND resource = ?`, [
      projectId,
      resource,
    ]);
    return row ? Number(row.hard_limit) : this.config.quotas[resource];
  }

  usage(em: EntityManager, projectId: string, resource: string): Promise<number> {
    return this.counters.get(resource)?.(em, projectId) ?? Promise.resolve(0);
  }

  async reserve(ctx: RequestContext, projectId: string, resource: string, count: number): Promise<void> {
    const limit = await this.limit(ctx.em, projectId, resource);
    // Unlimited: nothing to count, and no lock that would serialize the project's creates until commit.
    if (limit === undefined || limit < 0) return;
    if (isPostgres(ctx.em)) {
      // Two replicas creating the project's last allowed network must not both pass the count.
      await ctx.em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`quota:${projectId}:${resource}`]);
    }
    const used = await this.usage(ctx.em, projectId, resource);
    if (used + count > limit) {
      throw overQuota(resource);
    }
  }
}
