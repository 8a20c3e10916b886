import type { ApiObject, RequestContext, ResourceService } from '../../api/resource/resource-definition.js';
import type { ResourceKind } from './mechanism-driver.js';
import type { MechanismManager } from './mechanism-manager.js';

/**
 * Wraps a core resource's service so every write runs the mechanism drivers' hooks as ML2 does: pre-commit after the
 * row is written (before it is deleted), in the same transaction; post-commit once it committed.
 */
export function withMechanismHooks(
  service: ResourceService,
  kind: ResourceKind,
  mechanisms: MechanismManager,
  onDeleted?: (ctx: RequestContext, current: ApiObject) => void,
): ResourceService {
  return {
    list: (ctx, query) => service.list(ctx, query),
    get: (ctx, id) => service.get(ctx, id),
    async create(ctx, item) {
      const created = await service.create(ctx, item);
      await mechanisms.run(ctx, 'create', kind, created);
      return created;
    },
    async update(ctx, current, changes) {
      const updated = await service.update(ctx, current, changes);
      await mechanisms.run(ctx, 'update', kind, updated, current);
      return updated;
    },
    async delete(ctx, current) {
      await mechanisms.run(ctx, 'delete', kind, current);
      await service.delete(ctx, current);
      onDeleted?.(ctx, current);
    },
  };
}
