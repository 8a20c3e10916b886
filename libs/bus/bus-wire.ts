/** What both transports agree on: JSON payloads, errors as (name, message), how long undelivered casts wait. */
import { BusRemoteError } from './bus.contract.js';

/**
 * A cast (or call) finds no subscriber: it waits this long for one to appear (an agent restarting, a server not yet
 * listening), then is dropped. Calls wait at most their own timeout.
 */
export const CAST_TTL_MS = 60_000;

/** What a handler's outcome looks like on the wire. */
export type WireResult = { ok: true; result?: unknown } | { ok: false; name: string; message: string };

/** A JSON round trip: what a Redis transport would deliver (undefined stays undefined, as a missing field would). */
export function jsonCopy<T>(value: T): T {
  if (value === undefined) return value;
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Runs a handler and captures its outcome as a WireResult (never throws). */
export async function runHandler(handler: ((payload: unknown) => unknown) | undefined, topic: string, method: string, payload: unknown): Promise<WireResult> {
  if (!handler) return { ok: false, name: 'NoSuchMethod', message: `bus topic ${topic} has no method ${method}` };
  try {
    const result = jsonCopy(await handler(payload));
    return result === undefined ? { ok: true } : { ok: true, result };
  } catch (err) {
    return { ok: false, ...errorParts(err) };
  }
}

export function errorParts(err: unknown): { name: string; message: string } {
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

export function unwrapResult<T>(wire: WireResult): T {
  if (wire.ok) return wire.result as T;
  throw new BusRemoteError(wire.name, wire.message);
}

/** BullMQ's exponential backoff, so both transports retry on the same schedule: backoffMs · 2^(failures-1). */
export function retryDelayMs(backoffMs: number, failures: number): number {
  return backoffMs * 2 ** (failures - 1);
}

export class BusClosedError extends Error {
  constructor() {
    super('bus closed');
    this.name = 'BusClosedError';
  }
}
