import { Global, Module } from '@nestjs/common';
import { PORT_EVENTS } from '../plugin/ports/port-events.contract.js';
import { InProcessPortEvents } from './port-events.js';

/** PORT_EVENTS for the whole process: the ports service publishes after commit, listeners subscribe. */
@Global()
@Module({
  providers: [{ provide: PORT_EVENTS, useClass: InProcessPortEvents }],
  exports: [PORT_EVENTS],
})
export class PortEventsModule {}
