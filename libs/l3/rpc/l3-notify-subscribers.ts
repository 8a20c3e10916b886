import { Inject, Injectable } from '@nestjs/common';
import { ResourceEvents, type ResourcePayload } from '../../api/events/resource-events.js';
import { Database } from '../../db/index.js';
import type { ApiObject } from '../../api/resource/resource-definition.js';
import { FloatingIpEntity, ROUTER_GATEWAY_OWNER, ROUTER_INTERFACE_OWNERS } from '../l3.entities.js';
import { hostingL3Agents, unbindRouter } from '../scheduler/l3-bindings.store.js';
import { L3AgentNotifier } from './l3-agent-notifier.js';

const NAME = { name: 'l3-agent-notifier' };
const ROUTER_PORT_OWNERS = [...ROUTER_INTERFACE_OWNERS, ROUTER_GATEWAY_OWNER];

/** The router a port belongs to, when it is a router interface or gateway. */
const routerOfPort = (port: ApiObject | undefined) =>
  port && ROUTER_PORT_OWNERS.includes(port.device_owner as string) && port.device_id ? (port.device_id as string) : undefined;

/** Only the binding host changed (sync_routers placing the router's ports), or an agent reported a status. */
const bookkeeping = (p: ResourcePayload) =>
  p.metadata?.statusOnly === true || (p.request !== undefined && Object.keys(p.request).every((k) => k === 'binding:host_id'));

/**
 * Which router changes reach the L3 agents, after commit (l3_db's notify calls): a router's own updates; its
 * interface and gateway ports created, changed or deleted (interfaces by subnet or by port, the gateway); its
 * floating IPs (both routers when one moves) and their port forwardings. A deleted router is unscheduled in its
 * unit of work and its agents hear `router_deleted` once it committed.
 */
@Injectable()
export class L3NotifySubscribers {
  constructor(
    @Inject(ResourceEvents) private readonly events: ResourceEvents,
    @Inject(L3AgentNotifier) private readonly notifier: L3AgentNotifier,
    @Inject(Database) private readonly db: Database,
  ) {}

  subscribe(): void {
    const changed = (...ids: (string | null | undefined)[]) => this.notifier.routersChanged(ids);
    // A new router's agent hears router_added_to_agent from its scheduling (router-placement.fragment.ts).
    this.events.subscribe('router', 'after_update', ({ latest }) => changed(latest?.id as string), NAME);
    // Before the service deletes the row (a cascading foreign key would take the bindings with it first).
    this.events.subscribe('router', 'before_delete', async ({ ctx, resourceId }) => {
      const hosts = (await hostingL3Agents(ctx.em, [resourceId!])).filter((h) => h.admin_state_up).map((h) => h.host);
      await unbindRouter(ctx.em, resourceId!);
      ctx.afterCommit(() => this.notifier.routerDeleted(resourceId!, hosts));
    }, NAME);
    for (const event of ['after_create', 'after_update', 'after_delete'] as const) {
      this.events.subscribe('port', event, (p) => {
        if (event === 'after_update' && bookkeeping(p)) return;
        changed(routerOfPort(p.latest), routerOfPort(p.original));
      }, NAME);
      this.events.subscribe('floatingip', event, ({ latest, original }) => changed(latest?.router_id as string, original?.router_id as string), NAME);
      this.events.subscribe('port_forwarding', event, async ({ ctx, latest, original }) => {
        const parent = ctx.parent;
        const fipId = (parent?.id ?? latest?.floatingip_id ?? original?.floatingip_id) as string | undefined;
        if (!fipId) return;
        // After commit: read with a connection of our own.
        const fip = await this.db.read((em) => em.getRepository(FloatingIpEntity).findOneBy({ id: fipId }));
        changed(fip?.router_id, parent?.router_id as string | undefined);
      }, NAME);
    }
  }
}
