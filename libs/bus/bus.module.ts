import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import type { AppConfig } from '../config/config.schema.js';
import { BUS, type Bus } from './bus.contract.js';
import { DeferredBus } from './deferred-bus.js';
import { InProcessBus } from './in-process-bus.js';

export type BusConfig = AppConfig['bus'];

export interface CreateBusOptions {
  /** Redis only: the first part of every key and channel (default `neutron`); tests pass their own to stay apart. */
  prefix?: string;
}

/** The configured transport, without Nest (agents, tests). The caller closes it. */
export function createBus(config: Pick<AppConfig, 'bus'>, log: Logger = pino({ name: 'bus' }), opts: CreateBusOptions = {}): Bus {
  const bus = config.bus;
  switch (bus.transport) {
    case 'in-process':
      return new InProcessBus({ rpcTimeoutMs: bus.rpc_timeout_ms, log });
    case 'redis':
      return new DeferredBus(
        import('./redis-bus.js').then(({ RedisBus }) => new RedisBus({ url: bus.redis_url, rpcTimeoutMs: bus.rpc_timeout_ms, prefix: opts.prefix ?? bus.redis_prefix, log })),
      );
  }
}

/** Provides BUS (global) for the configured transport and closes it when the application shuts down. */
@Global()
@Module({})
export class BusModule implements OnApplicationShutdown {
  constructor(@Inject(BUS) private readonly bus: Bus) {}

  static forRoot(config: Pick<AppConfig, 'bus'>, log?: Logger, opts?: CreateBusOptions): DynamicModule {
    return {
      module: BusModule,
      providers: [{ provide: BUS, useFactory: () => createBus(config, log, opts) }],
      exports: [BUS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}
