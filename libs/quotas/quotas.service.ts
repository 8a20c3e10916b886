import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { NeutronError, pyList } from '../api/errors/neutron-error.js';
import type { QuotaEnforcer } from '../api/engine/ports.js';
import type { RequestContext } from '../api/resource/resource-definition.js';
import { QuotaEntity } from './quota.entity.js';

/** Counts a project's rows of one resource (an indexed COUNT on its table). */
export type UsageCounter = (em: EntityManager, projectId: string) => Promise<number>;

/** Table-backed resources are counted by project_id. */
export function countByProject(table: string): UsageCounter {
  return async (em, projectId) => {
    const row = await em
      .createQueryBuilder()
      .select('COUNT(*)', 'n')
      .from(table, 't')
      .where('t.project_id = :projectId', { projectId })
      .getRawOne<{ n: string | number }>();
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

  usage(em: EntityManager, projectId: string, resource: string): Promise<number> {
    return this.counters.get(resource)?.(em, projectId) ?? Promise.resolve(0);
  }

  async reserve(ctx: RequestContext, projectId: string, resource: string, count: number): Promise<void> {
    if (ctx.em.connection.options.type === 'postgres') {
      // Two replicas creating the project's last allowed network must not both pass the count.
      await ctx.em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`quota:${projectId}:${resource}`]);
    }
    const limit = (await this.limits(ctx.em, projectId))[resource];
    if (limit === undefined || limit < 0) return;
    const used = await this.usage(ctx.em, projectId, resource);
    if (used + count > limit) {
      throw new NeutronError('OverQuota', `Quota exceeded for resources: ${pyList([resource])}.`, 409);
    }
  }
}
