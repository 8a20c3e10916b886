/**
 * A separate process on the Redis bus, for redis-bus.integration.spec.ts: `node <bundled>.mjs <redis url> <prefix> <topic>`.
 * Serves `whoami`/`add`/`fail` on <topic>, prints `fanout <json>` for fanouts on <topic>, prints `ready` once
 * listening and closes the bus on SIGTERM.
 */
import { pino } from 'pino';
import { RedisBus } from '../redis-bus.js';

const [url, prefix, topic] = process.argv.slice(2);
const bus = new RedisBus({ url, prefix, rpcTimeoutMs: 2_000, log: pino({ level: 'silent' }) });

await bus.subscribe(topic, {
  whoami: () => ({ pid: process.pid }),
  add: (payload) => {
    const { a, b } = payload as { a: number; b: number };
    return a + b;
  },
  fail: () => {
    throw new RangeError('out of range in the other process');
  },
});
await bus.subscribe(topic, { note: (payload) => void process.stdout.write(`fanout ${JSON.stringify(payload)}\n`) }, { fanout: true });
process.stdout.write('ready\n');

process.on('SIGTERM', () => {
  void bus.close().then(() => process.exit(0));
});
