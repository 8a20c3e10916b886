import { Injectable, Logger } from '@nestjs/common';
import type { ApiObject, RequestContext } from '../resource/resource-definition.js';

/**
 * neutron-lib's callbacks registry, for the resources of the Networking API. A write publishes, per resource:
 * - `before_<op>`: before the write, inside the unit of work (for an API create: after the parent's ownership check,
 *   before policy, where Neutron checks quotas). A subscriber may veto by throwing a NeutronError.
 * - `precommit_<op>`: after the row is written (before it is deleted), in the same unit of work. A throw rolls the
 *   whole request back.
 * - `after_<op>`: once the unit of work committed, subscribers in order. A failing subscriber is logged and skipped:
 *   it never turns a committed write into an error.
 */
export type ResourceOperation = 'create' | 'update' | 'delete';
export type ResourceEvent = `${'before' | 'precommit' | 'after'}_${ResourceOperation}`;

export const ALL_WRITES: readonly ResourceOperation[] = ['create', 'update', 'delete'];

/** What every subscriber gets (Neutron's DBEventPayload). */
export interface ResourcePayload {
  ctx: RequestContext;
  /** Undefined only in `before_create`. */
  resourceId?: string;
  /** The resource before the write (update, delete). */
  original?: ApiObject;
  /** The resource as written (create, update); for delete, undefined. */
  latest?: ApiObject;
  /** The request's item (create) or changes (update), as the engine parsed them. */
  request?: ApiObject;
  /** Facts about the write that are not attributes, e.g. `{ statusOnly: true }` for an agent's status report. */
  metadata?: Record<string, unknown>;
}

export type ResourceSubscriber = (payload: ResourcePayload) => void | Promise<void>;

export interface SubscribeOptions {
  /** Named in logs when it fails. */
  name: string;
  /** Lower runs first (Neutron's priorities); equal priorities run in subscription order. Default 1000. */
  priority?: number;
}

interface Subscription {
  fn: ResourceSubscriber;
  name: string;
  priority: number;
  seq: number;
}

export const DEFAULT_PRIORITY = 1000;

@Injectable()
export class ResourceEvents {
  private readonly logger = new Logger('ResourceEvents');
  private readonly subscriptions = new Map<string, Subscription[]>();
  private seq = 0;

  /** `resource` is the singular API name: 'port', 'network', 'subnet', 'security_group' … */
  subscribe(resource: string, events: ResourceEvent | readonly ResourceEvent[], fn: ResourceSubscriber, opts: SubscribeOptions): void {
    for (const event of typeof events === 'string' ? [events] : events) {
      const key = `${resource}:${event}`;
      const list = [...(this.subscriptions.get(key) ?? []), { fn, name: opts.name, priority: opts.priority ?? DEFAULT_PRIORITY, seq: this.seq++ }];
      list.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
      this.subscriptions.set(key, list);
    }
  }

  /** True when someone listens: lets a hot path skip building a payload nobody reads. */
  has(resource: string, event: ResourceEvent): boolean {
    return (this.subscriptions.get(`${resource}:${event}`)?.length ?? 0) > 0;
  }

  /**
   * before/precommit: runs the subscribers now, in order; the first throw propagates (a veto).
   * after: queues them on the unit of work's after-commit list; each failure is logged.
   */
  async publish(resource: string, event: ResourceEvent, payload: ResourcePayload): Promise<void> {
    const subs = this.subscriptions.get(`${resource}:${event}`);
    if (!subs?.length) return;
    if (!event.startsWith('after_')) {
      for (const sub of subs) await sub.fn(payload);
      return;
    }
    payload.ctx.afterCommit(async () => {
      for (const sub of subs) {
        try {
          await sub.fn(payload);
        } catch (err) {
          const id = payload.resourceId ?? '';
          this.logger.error(`${sub.name} failed on ${resource} ${event} ${id}: ${(err as Error).message}`);
        }
      }
    });
  }
}
