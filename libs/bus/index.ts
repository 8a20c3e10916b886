export * from './bus.contract.js';
export { CAST_TTL_MS } from './bus-wire.js';
export * from './bus.module.js';
export { InProcessBus } from './in-process-bus.js';
