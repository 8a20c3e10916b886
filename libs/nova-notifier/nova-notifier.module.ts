import { Module } from '@nestjs/common';
import { NovaNotifier } from './nova-notifier.service.js';
import { PortEventsModule } from './port-events.module.js';

/**
 * Nova notifications for a server process. Needs APP_CONFIG and BUS from global modules; brings the global
 * PORT_EVENTS (PortEventsModule) with it.
 */
@Module({
  imports: [PortEventsModule],
  providers: [NovaNotifier],
})
export class NovaNotifierModule {}
