/** Current time in microseconds since the epoch (fits a double exactly until year 2255). */
export function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/** Keystone's token time format: 2024-01-01T12:00:00.123456Z. */
export function keystoneTime(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = String(micros - seconds * 1_000_000).padStart(6, '0');
  return new Date(seconds * 1000).toISOString().slice(0, 19) + '.' + fraction + 'Z';
}

/** Expiry as Keystone writes it: whole seconds, ".000000Z". */
export function keystoneExpiry(micros: number): string {
  return keystoneTime(Math.floor(micros / 1_000_000) * 1_000_000);
}

/** Milliseconds since the epoch of a keystoneTime() string. */
export function parseKeystoneTime(text: string): number {
  return Date.parse(text.slice(0, 23) + 'Z');
}
