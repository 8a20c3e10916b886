import { describe, expect, it } from 'vitest';
import { toJson } from './api.controller.js';

describe('toJson', () => {
  it('writes BigInts as exact integers', () => {
    expect(toJson({ total_ips: 18446744073709551615n, used: 2, name: 'x' })).toBe('{"total_ips":18446744073709551615,"used":2,"name":"x"}');
  });

  it('leaves ordinary bodies exactly as JSON.stringify writes them', () => {
    const body = { networks: [{ name: 'bigint:1', tags: ['\u0001'] }] };
    expect(toJson(body)).toBe(JSON.stringify(body));
  });
});
