import { type DynamicModule, Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/index.js';
import { HttpRequestMetrics } from './http-request-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsListener } from './metrics-listener.js';
import { MetricsRegistry } from './metrics-registry.js';

export interface MetricsModuleOptions {
  /** A process without the API port serves /metrics on its own listener on this port (0: none). */
  listenPort?: number;
  log?: Logger;
}

const LISTENER = Symbol('METRICS_LISTENER');

/**
 * The process's metrics registry (every domain of the process registers into it; in-process agents share it) and,
 * when metrics.enabled, `GET /metrics` on the API port, or on a listener of its own for an agent-only process.
 */
@Global()
@Module({})
export class MetricsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Optional() @Inject(LISTENER) private readonly listener?: MetricsListener) {}

  static forRoot(config: AppConfig, options: MetricsModuleOptions = {}): DynamicModule {
    const { enabled } = config.metrics;
    const listen = enabled && (options.listenPort ?? 0) > 0;
    return {
      module: MetricsModule,
      controllers: enabled ? [MetricsController] : [],
      providers: [
        {
          provide: MetricsRegistry,
          useFactory: () => {
            const metrics = new MetricsRegistry(enabled);
            metrics.collectProcessDefaults();
            return metrics;
          },
        },
        { provide: HttpRequestMetrics, inject: [MetricsRegistry], useFactory: (m: MetricsRegistry) => new HttpRequestMetrics(m) },
        ...(listen
          ? [{ provide: LISTENER, inject: [MetricsRegistry], useFactory: (m: MetricsRegistry) => new MetricsListener(m, options.listenPort!, config.host, options.log) }]
          : []),
      ],
      exports: [MetricsRegistry, HttpRequestMetrics],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }
}
