import { Module } from '@nestjs/common';
import { defineDomain } from '../db/index.js';
import { NovaNotifier } from './nova-notifier.service.js';

/** Nova notifications for a server process. Needs APP_CONFIG, BUS and ResourceEvents from global modules. */
@Module({
  providers: [NovaNotifier],
})
export class NovaNotifierModule {}

export const novaNotifierDomain = defineDomain({ module: NovaNotifierModule, entities: [], migrations: [] });
