import { describe, expect, it } from 'vitest';
import type { PortChange } from '../plugin/ports/port-events.contract.js';
import { InProcessPortEvents } from './port-events.js';

const change: PortChange = { port_id: 'p', device_id: 'd', device_owner: 'compute:nova', status_after: 'ACTIVE' };

describe('InProcessPortEvents', () => {
  it('calls every listener synchronously, in subscription order', () => {
    const events = new InProcessPortEvents();
    const seen: string[] = [];
    events.subscribe((c) => seen.push(`a:${c.port_id}`));
    events.subscribe((c) => seen.push(`b:${c.port_id}`));
    events.publish(change);
    expect(seen).toEqual(['a:p', 'b:p']);
  });

  it('a throwing listener neither reaches the publisher nor stops the others', () => {
    const events = new InProcessPortEvents();
    const seen: string[] = [];
    events.subscribe(() => {
      throw new Error('boom');
    });
    events.subscribe((c) => seen.push(c.port_id));
    expect(() => events.publish(change)).not.toThrow();
    expect(seen).toEqual(['p']);
  });

  it('publishing with no listener is a no-op', () => {
    expect(() => new InProcessPortEvents().publish(change)).not.toThrow();
  });
});
