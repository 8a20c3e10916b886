import { describe, expect, it } from 'vitest';
import { macGenerator } from './mac-address.js';

describe('macGenerator', () => {
  it('keeps the first 3 octets of base_mac and randomises the other 3, lower-case', () => {
    const next = macGenerator('FA:16:3E:00:00:00');
    const macs = new Set(Array.from({ length: 200 }, next));
    for (const mac of macs) expect(mac).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
    expect(macs.size).toBeGreaterThan(190);
  });

  it('keeps the 4th octet too when it is not 00', () => {
    expect(macGenerator('fa:16:3e:4f:00:00', () => 0)()).toBe('fa:16:3e:4f:00:00');
    expect(macGenerator('fa:16:3e:4f:00:00', () => 255)()).toBe('fa:16:3e:4f:ff:ff');
  });

  it('pads random octets to two hex digits', () => {
    const values = [1, 10, 255];
    expect(macGenerator('fa:16:3e:00:00:00', () => values.shift()!)()).toBe('fa:16:3e:01:0a:ff');
  });
});
