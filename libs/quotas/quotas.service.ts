import { isPostgres } from '../db/index.js';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { ResourceRegistry } from '../api/engine/resource-registry.js';
import { ResourceEvents } from '../api/events/resource-events.js';
import type { RequestContext } from '../api/resource/resource-definition.js';
import { sqlRows } from '../db/index.js';
import { QuotaEntity } from './quota.entity.js';
import { overQuota } from './quota.errors.js';

const QUOTAS_TABLE = QuotaEntity.options.tableName!;

@Injectable()
export class QuotasService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ResourceRegistry) private readonly registry: ResourceRegistry,
    @Inject(ResourceEvents) private readonly events: ResourceEvents,
  ) {}

  /**
   * Every registered resource with a quota checks it in before_create: after the parent's ownership, before policy,
   * where Neutron's API layer counts. The server's own writes (a DHCP port) are not counted against the project.
   */
  subscribeAll(): void {
    for (const def of this.registry.allResources()) {
      const resource = def.quotaResource;
      if (!resource) continue;
      this.events.subscribe(
        def.name,
        'before_create',
        async ({ ctx, request }) => {
          if (ctx.internal) return;
          await this.reserve(ctx, String(request?.project_id ?? ctx.projectId), resource, 1);
        },
        { name: 'quotas', priority: 0 },
      );
    }
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
    return this.registry.usageCounter(resource)?.(em, projectId) ?? Promise.resolve(0);
  }

  /** The usage when the project's limit is one; undefined when it is unlimited (nothing counted). */
  private async usageIfLimited(em: EntityManager, projectId: string, resource: string): Promise<number | undefined> {
    const countSql = this.registry.usageCounter(resource)?.countSql;
    if (!countSql) return this.usage(em, projectId, resource);
    const [row] = await sqlRows<{ n: string | number | null }>(
      em,
      `SELECT CASE WHEN COALESCE((SELECT hard_limit FROM ${QUOTAS_TABLE} WHERE project_id = ? AND resource = ?), ?) >= 0 ` +
        `THEN (${countSql}) END AS n`,
      [projectId, resource, this.config.quotas[resource], projectId],
    );
    return row?.n === null || row?.n === undefined ? undefined : Number(row.n);
  }

  async reserve(ctx: RequestContext, projectId: string, resource: string, count: number): Promise<void> {
    if (isPostgres(ctx.em)) return this.reserveLocked(ctx.em, projectId, resource, count);
    const limit = await this.limit(ctx.em, projectId, resource);
    // Unlimited: nothing to count, and no lock that would serialize the project's creates until commit.
    if (limit === undefined || limit < 0) return;
    const used = await this.usage(ctx.em, projectId, resource);
    if (used + count > limit) {
      throw overQuota(resource);
    }
  }

  /**
   * PostgreSQL: where the default is a limit, the count is sent right behind the locking statement, in the same round
   * trip; PostgreSQL runs it once the lock is held, so it still sees what the lock's previous holder committed. It
   * counts only when the project's limit (read again by that statement) is one: a project whose override is unlimited
   * does not pay a count of all its rows at every create.
   */
  private async reserveLocked(em: EntityManager, projectId: string, resource: string, count: number): Promise<void> {
    const likelyLimited = (this.config.quotas[resource] ?? -1) >= 0;
    const locked = this.limitLocked(em, projectId, resource);
    const counted = likelyLimited ? this.usageIfLimited(em, projectId, resource) : undefined;
    const [limit, early] = await Promise.all([locked, counted]);
    if (limit === undefined || limit < 0) return;
    const used = early ?? (await this.usage(em, projectId, resource));
    if (used + count > limit) {
      throw overQuota(resource);
    }
  }

  /**
   * PostgreSQL: the limit, and when there is one the project's advisory lock for this resource, in one statement, so
   * two replicas creating the project's last allowed network cannot both pass the count. The count is its own later
   * statement: only a statement that starts after the lock sees what the lock's previous holder committed.
   */
  private async limitLocked(em: EntityManager, projectId: string, resource: string): Promise<number | undefined> {
    if (!(resource in this.config.quotas)) return undefined;
    const [row] = await sqlRows<{ hard_limit: number }>(
      em,
      `SELECT COALESCE(q.hard_limit, ?) AS hard_limit, ` +
        `CASE WHEN COALESCE(q.hard_limit, ?) >= 0 THEN pg_advisory_xact_lock(hashtext(?)) END AS locked ` +
        `FROM (SELECT 1) one LEFT JOIN ${QUOTAS_TABLE} q ON q.project_id = ? AND q.resource = ?`,
      [this.config.quotas[resource], this.config.quotas[resource], `quota:${projectId}:${resource}`, projectId, resource],
    );
    return Number(row.hard_limit);
  }
}
