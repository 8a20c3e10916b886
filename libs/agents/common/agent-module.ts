import type { DynamicModule, OnApplicationBootstrap, OnApplicationShutdown, Type } from '@nestjs/common';
import { BUS, type Bus } from '../../bus/bus.contract.js';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { MetricsRegistry } from '../../metrics/index.js';

/** An agent, or the agents of one process. */
export interface RunsWithApp {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Holds a process's agents back until it opens: the appliance opens it once its ports are bound, so a second
 * appliance on a busy port fails (EADDRINUSE) before any agent registers or touches the dataplane. Without one
 * (the agent process), agents start with the application.
 */
export class AgentsStartGate {
  private readonly waiting: (() => Promise<void>)[] = [];
  private opened = false;

  /** Runs `start` now if the gate is open, else once it opens. */
  whenOpen(start: () => Promise<void>): Promise<void> {
    if (this.opened) return start();
    return new Promise((ok, fail) => this.waiting.push(() => start().then(ok, fail)));
  }

  /** Starts every waiting agent; rejects if one failed to start. */
  async open(): Promise<void> {
    this.opened = true;
    await Promise.all(this.waiting.splice(0).map((start) => start()));
  }
}

/** Starts the agent with the application (or when the start gate opens), stops it on shutdown (before the bus closes). */
class AgentLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private started: Promise<void> | undefined;

  constructor(
    private readonly agent: RunsWithApp,
    private readonly gate: AgentsStartGate | undefined,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.gate) {
      this.started = this.agent.start();
      await this.started;
      return;
    }
    // Not awaited: the gate opens after the application is up and its ports are bound; open() reports a failure.
    this.gate.whenOpen(() => (this.started = this.agent.start())).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    await this.started.catch(() => undefined);
    await this.agent.stop();
  }
}

/**
 * An agent inside a Nest application (the appliance, or `apps/agent --type <type>`), on the application's BUS and
 * config and metrics registry (absent in a bare test module): `make` builds it, `token` (its class) is how the
 * application finds it.
 */
export function agentModule<T extends RunsWithApp>(
  module: Type<unknown>,
  token: Type<T>,
  make: (bus: Bus, config: AppConfig, metrics?: MetricsRegistry) => T,
): DynamicModule {
  return {
    module,
    providers: [
      { provide: token, inject: [BUS, APP_CONFIG, { token: MetricsRegistry, optional: true }], useFactory: make },
      {
        provide: AgentLifecycle,
        inject: [token, { token: AgentsStartGate, optional: true }],
        useFactory: (agent: T, gate?: AgentsStartGate) => new AgentLifecycle(agent, gate),
      },
    ],
    exports: [token],
  };
}
