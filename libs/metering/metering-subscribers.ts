import { Inject, Injectable } from '@nestjs/common';
import { ResourceEvents } from '../api/events/resource-events.js';
import { MeteringAgentNotifier } from './rpc/metering-agent-notifier.js';

const NAME = { name: 'metering-agent-notifier' };

/**
 * What reaches the metering agents, after commit (MeteringPlugin's notifier calls, and the routers' changes Neutron's
 * L3 plug-in sends them): a label created or deleted, a rule created or deleted (naming the label, to every
 * agent), a router created or changed (to its hosts: its gateway is what the rules match on), a router deleted.
 */
@Injectable()
export class MeteringSubscribers {
  constructor(
    @Inject(ResourceEvents) private readonly events: ResourceEvents,
    @Inject(MeteringAgentNotifier) private readonly notifier: MeteringAgentNotifier,
  ) {}

  subscribe(): void {
    this.events.subscribe('metering_label', 'after_create', ({ latest }) => this.notifier.labelsChanged('add_metering_label', [latest!.id as string]), NAME);
    this.events.subscribe('metering_label', 'after_delete', ({ resourceId }) => this.notifier.labelsChanged('remove_metering_label', [resourceId!]), NAME);
    this.events.subscribe('metering_label_rule', 'after_create', ({ latest }) =>
      this.notifier.labelsChanged('add_metering_label_rule', [latest!.metering_label_id as string]), NAME);
    this.events.subscribe('metering_label_rule', 'before_delete', ({ ctx, original }) => {
      ctx.afterCommit(() => this.notifier.labelsChanged('remove_metering_label_rule', [original!.metering_label_id as string]));
    }, NAME);
    this.events.subscribe('router', ['after_create', 'after_update'], ({ latest }) => {
      this.notifier.routersUpdated([latest!.id as string]);
    }, NAME);
    this.events.subscribe('router', 'after_delete', ({ resourceId }) => this.notifier.routerDeleted(resourceId!), NAME);
  }
}
