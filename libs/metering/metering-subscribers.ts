import { Inject, Injectable } from '@nestjs/common';
import { ResourceEvents } from '../api/events/resource-events.js';
import { Database } from '../db/index.js';
import { MeteringAgentNotifier } from './rpc/metering-agent-notifier.js';
import { routersOfLabel } from './rpc/metering-sync-data.js';
import { MeteringLabelEntity } from './metering.entities.js';

const NAME = { name: 'metering-agent-notifier' };

/**
 * What reaches the metering agents, after commit (MeteringPlugin's notifier calls, and the routers' changes Neutron's
 * L3 plug-in sends them): a label created or deleted, a rule created or deleted (to the routers the label applies
 * to), a router created or changed (its gateway is what the rules match on), a router deleted.
 */
@Injectable()
export class MeteringSubscribers {
  constructor(
    @Inject(ResourceEvents) private readonly events: ResourceEvents,
    @Inject(MeteringAgentNotifier) private readonly notifier: MeteringAgentNotifier,
    @Inject(Database) private readonly db: Database,
  ) {}

  subscribe(): void {
    const labelRouters = (labelId: string) =>
      this.db.read(async (em) => {
        const label = await em.getRepository(MeteringLabelEntity).findOneBy({ id: labelId });
        return label ? routersOfLabel(em, label) : [];
      });
    this.events.subscribe('metering_label', 'after_create', async ({ latest }) => {
      await this.notifier.notify('add_metering_label', await labelRouters(latest!.id as string));
    }, NAME);
    this.events.subscribe('metering_label', 'before_delete', async ({ ctx, original }) => {
      const routers = await routersOfLabel(ctx.em, { shared: Boolean(original!.shared), project_id: original!.project_id as string });
      ctx.afterCommit(() => this.notifier.notify('remove_metering_label', routers));
    }, NAME);
    this.events.subscribe('metering_label_rule', 'after_create', async ({ latest }) => {
      await this.notifier.notify('add_metering_label_rule', await labelRouters(latest!.metering_label_id as string));
    }, NAME);
    this.events.subscribe('metering_label_rule', 'before_delete', async ({ ctx, original }) => {
      const label = await ctx.em.getRepository(MeteringLabelEntity).findOneBy({ id: original!.metering_label_id as string });
      const routers = label ? await routersOfLabel(ctx.em, label) : [];
      ctx.afterCommit(() => this.notifier.notify('remove_metering_label_rule', routers));
    }, NAME);
    this.events.subscribe('router', ['after_create', 'after_update'], ({ latest }) => this.notifier.notify('routers_updated', [latest!.id as string]), NAME);
    this.events.subscribe('router', 'after_delete', ({ resourceId }) => this.notifier.routerDeleted(resourceId!), NAME);
  }
}
