import { Logger } from '@nestjs/common';
import type { PortChange, PortEvents } from '../plugin/ports/port-events.contract.js';

type Listener = (change: PortChange) => void;

/**
 * PORT_EVENTS in this process: a plain listener list, called synchronously in subscription order. A listener that
 * throws is logged and skipped, so a port write that already committed never fails because of a listener.
 */
export class InProcessPortEvents implements PortEvents {
  private readonly listeners: Listener[] = [];
  private readonly logger = new Logger('PortEvents');

  publish(change: PortChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (e) {
        this.logger.error(`port event listener failed for port ${change.port_id}: ${(e as Error).message}`);
      }
    }
  }

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }
}
