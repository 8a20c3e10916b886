import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BusHandler } from '../../bus/bus.contract.js';
import { InProcessBus } from '../../bus/in-process-bus.js';
import { AgentSkeleton, type AgentReport, type AgentSubscription } from './agent-skeleton.js';
import { StandInServer } from './testing/stand-in-server.js';

class Server extends StandInServer {
  protected pluginMethods(): Record<string, BusHandler> {
    return {
      get_everything: (p) => this.answer('get_everything', p, () => []),
      never_answered: () => new Promise(() => undefined),
    };
  }
}

/** The smallest agent: a full sync by RPC, passes that count, one notice that asks for a pass. */
class TestAgent extends AgentSkeleton {
  passCount = 0;
  failNextPasses = 0;
  /** A pass waits for this server call (null: none). */
  callInPass: string | null = null;
  readonly failures: unknown[] = [];

  protected state(): AgentReport {
    return { agent_type: 'Test agent', binary: 'test-agent', host: this.host, topic: 'test', configurations: {} };
  }
  protected subscriptions(): AgentSubscription[] {
    return [{ topic: `test.${this.host}`, handlers: { poke: () => this.requestPass() } }];
  }
  protected async resync(): Promise<void> {
    await this.bus.call('q-plugin', 'get_everything', { host: this.host });
  }
  protected async pass(): Promise<void> {
    this.passCount++;
    if (this.callInPass) await this.bus.call('q-plugin', this.callInPass, {});
    if (this.failNextPasses-- > 0) throw new Error('driver failed');
  }
  protected passFailed(err: unknown): void {
    this.failures.push(err);
  }
}

describe('AgentSkeleton', () => {
  const bus = new InProcessBus({ rpcTimeoutMs: 500, log: pino({ level: 'silent' }) });
  const server = new Server(bus);
  const agent = new TestAgent({ agent: 'test', host: 'h1', bus, reportIntervalSeconds: 0.05, retry: { firstMs: 10, maxMs: 40 } });
  afterEach(() => agent.stop());

  it('reports with start_flag, resyncs on start and when revived, passes on notices, retries a failed pass', async () => {
    await server.listen();
    await agent.start();
    await vi.waitFor(() => expect(server.count('get_everything')).toBe(1));
    expect(server.reports[0]).toMatchObject({ host: 'h1', start_flag: true });

    server.reportAnswer = 'revived';
    await vi.waitFor(() => expect(server.count('get_everything')).toBeGreaterThan(1));
    server.reportAnswer = 'alive';

    await agent.idle();
    const before = agent.passCount;
    agent.failNextPasses = 2;
    await bus.cast('test.h1', 'poke', {});
    await vi.waitFor(() => expect(agent.passCount).toBe(before + 3));
    expect(server.reports.at(-1)?.start_flag).toBeUndefined();
  });

  it('a pass the shutdown cuts short (the bus closes under it) is neither reported as failed nor retried', async () => {
    const ownBus = new InProcessBus({ rpcTimeoutMs: 5_000, log: pino({ level: 'silent' }) });
    const ownServer = new Server(ownBus);
    const stopping = new TestAgent({ agent: 'test', host: 'h2', bus: ownBus, reportIntervalSeconds: 60, retry: { firstMs: 10, maxMs: 40 } });
    await ownServer.listen();
    await stopping.start();
    await stopping.idle();
    stopping.callInPass = 'never_answered';
    const before = stopping.passCount;
    await ownBus.cast('test.h2', 'poke', {});
    await vi.waitFor(() => expect(stopping.passCount).toBe(before + 1));
    await ownBus.close();
    await new Promise((r) => setTimeout(r, 60));
    const settled = stopping.passCount;
    await new Promise((r) => setTimeout(r, 150)); // retries would come every 10-40 ms
    expect(stopping.failures).toEqual([]);
    expect(stopping.passCount).toBe(settled);
    await stopping.stop();
  });
});
