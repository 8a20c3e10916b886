export * from './metrics-registry.js';
export * from './metering-label-metrics.js';
export * from './http-request-metrics.js';
export * from './metrics.module.js';
export { MetricsListener } from './metrics-listener.js';
