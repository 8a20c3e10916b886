import { Inject, Injectable } from '@nestjs/common';
import { ResourceEvents } from '../events/resource-events.js';
import {
  type ApiObject,
  type FragmentJoin,
  forgetJoinedRows,
  joinedRowsOf,
  type ListQuery,
  pendingReadsOf,
  type RequestContext,
  type ResourceDefinition,
  type ResourceFragment,
} from '../resource/resource-definition.js';

/**
 * Every write of a resource, from the API or from the server itself (a DHCP port, a router port), in one order:
 * before_<op> → the service → the fragments' hooks → precommit_<op> → (commit) → after_<op>. So fragments and
 * subscribers see every write, whoever made it. Runs inside the caller's unit of work.
 */
@Injectable()
export class ResourceWriter {
  constructor(@Inject(ResourceEvents) private readonly events: ResourceEvents) {}

  /** `authorize` runs between before_create (Neutron's quota check) and the write (policy). */
  async create(def: ResourceDefinition, ctx: RequestContext, item: ApiObject, authorize?: () => void | Promise<void>): Promise<ApiObject> {
    await this.events.publish(def.name, 'before_create', { ctx, request: item });
    await authorize?.();
    const created = await def.service.create(ctx, item);
    const fragments = def.fragments ?? [];
    for (const fragment of fragments) if (fragment.create) await fragment.create(ctx, created, item);
    await this.loadWithout(ctx, fragments, 'create', [created]);
    const payload = { ctx, resourceId: created.id as string, latest: created, request: item };
    await this.events.publish(def.name, 'precommit_create', payload);
    await this.events.publish(def.name, 'after_create', payload);
    return created;
  }

  async update(def: ResourceDefinition, ctx: RequestContext, current: ApiObject, changes: ApiObject): Promise<ApiObject> {
    const resourceId = current.id as string;
    await this.events.publish(def.name, 'before_update', { ctx, resourceId, original: current, request: changes });
    const updated = await def.service.update(ctx, current, changes);
    const fragments = def.fragments ?? [];
    for (const fragment of fragments) {
      for (const attr of Object.keys(fragment.attributes)) if (!(attr in updated) && attr in current) updated[attr] = current[attr];
      if (fragment.update) await fragment.update(ctx, updated, current, changes);
    }
    await this.loadWithout(ctx, fragments, 'update', [updated]);
    const payload = { ctx, resourceId, original: current, latest: updated, request: changes };
    await this.events.publish(def.name, 'precommit_update', payload);
    await this.events.publish(def.name, 'after_update', payload);
    return updated;
  }

  async delete(def: ResourceDefinition, ctx: RequestContext, current: ApiObject): Promise<void> {
    const payload = { ctx, resourceId: current.id as string, original: current };
    await this.events.publish(def.name, 'before_delete', payload);
    await this.events.publish(def.name, 'precommit_delete', payload);
    for (const fragment of def.fragments ?? []) if (fragment.delete) await fragment.delete(ctx, current);
    await def.service.delete(ctx, current);
    await this.events.publish(def.name, 'after_delete', payload);
  }

  /**
   * The fragments' attributes on items the service returned: one query per fragment for the whole page, sent
   * together with the reads the service left pending (keepReading); the items are complete once this resolves.
   */
  async load(def: ResourceDefinition, ctx: RequestContext, items: ApiObject[], fields: string[] = [], joins: ListQuery['joins'] = []): Promise<ApiObject[]> {
    const pending = pendingReadsOf(items);
    if (!items.length) {
      await pending;
      return items;
    }
    // A service that honoured the joins kept the page's rows: those fragments read them instead of querying.
    const joined = joinedRowsOf(items);
    const loads: Promise<unknown>[] = pending ? [pending] : [];
    for (const fragment of def.fragments ?? []) {
      const at = joined && fragment.join ? joinedColumnsAt(joins, fragment.join, joined.at) : undefined;
      if (at !== undefined) {
        readJoined(items, joined!.rows, at, fragment.join!);
      } else if (fragment.load) {
        // Each fragment sets only its own attributes: their reads go out together (one round trip on PostgreSQL).
        loads.push(fragment.load(ctx, items, fields));
      }
    }
    await Promise.all(loads);
    if (joined) forgetJoinedRows(items); // read: the rows need not live as long as the items
    return items;
  }

  /** After a write, fragments without a hook for it (read-only ones, e.g. a network's availability_zones) load. */
  private async loadWithout(ctx: RequestContext, fragments: ResourceFragment[], hook: 'create' | 'update', items: ApiObject[]): Promise<void> {
    for (const fragment of fragments) if (!fragment[hook] && fragment.load) await fragment.load(ctx, items, []);
  }
}

/** Where a join's columns start in the page's rows (the joins' columns follow each other from `at`), if it was joined. */
function joinedColumnsAt(joins: NonNullable<ListQuery['joins']>, join: FragmentJoin, at: number): number | undefined {
  for (const j of joins) {
    if (j.join === join) return at;
    at += j.join.columns.length;
  }
  return undefined;
}

/** One column reader for the whole page (not a closure per row): `read` sees row i while it reads item i. */
function readJoined(items: ApiObject[], rows: unknown[][], at: number, join: FragmentJoin): void {
  const index = new Map(join.columns.map((column, k) => [column, at + k]));
  let row: unknown[] = [];
  const column = (name: string) => row[index.get(name)!];
  for (let i = 0; i < items.length; i++) {
    row = rows[i];
    join.read(items[i], column);
  }
}
