import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { NOVA_EVENTS_QUEUE } from '../rpc/nova-events.contract.js';
import { ALL_WRITES, ResourceEvents } from '../api/events/resource-events.js';
import { BUS, type Bus, type Subscription } from '../bus/bus.contract.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { EventBatcher } from './event-batcher.js';
import { NovaClient, type NovaReply } from './nova-client.js';
import { type NovaEvent, novaEventsFor, portChangeOf } from './nova-events.js';
import { ServiceToken } from './service-token.js';

/** One job on NOVA_EVENTS_QUEUE: one batch, one POST. */
export interface NovaEventsJob {
  events: NovaEvent[];
}

const REQUEST_TIMEOUT_MS = 10_000;
/** 1 s doubled nine times: the last try comes ~8.5 min after the first, beyond Nova's 300 s vif_plugging_timeout. */
const DELIVERY = { attempts: 10, backoffMs: 1_000 };

/**
 * Neutron's Nova notifier: port changes (the port's after_* events, after commit) become os-server-external-events,
 * batched for `nova.send_events_interval` and enqueued as one retried job per batch; a queue worker POSTs each batch
 * to Nova. Publishing only appends to the batch, so a slow or absent Nova never touches an API call. The batch is the
 * only state in memory, and it is enqueued at shutdown. Off when `nova.url` is empty.
 */
@Injectable()
export class NovaNotifier implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('NovaNotifier');
  private readonly enabled: boolean;
  private readonly batcher: EventBatcher<NovaEvent>;
  private readonly nova: NovaClient;
  private worker?: Subscription;
  /** Aborts requests in flight at shutdown, so that a hanging Nova cannot hold the process (the job is retried). */
  private readonly stopping = new AbortController();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(ResourceEvents) private readonly events: ResourceEvents,
    @Inject(BUS) private readonly bus: Bus,
  ) {
    const { url, send_events_interval, username, password, project } = config.nova;
    this.enabled = url !== '';
    this.batcher = new EventBatcher(send_events_interval * 1000, (events) => this.enqueue(events));
    const token = new ServiceToken({
      identityUrl: localIdentityUrl(config),
      username,
      password,
      project,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      stop: this.stopping.signal,
    });
    this.nova = new NovaClient(url, token, REQUEST_TIMEOUT_MS, this.stopping.signal);
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    for (const op of ALL_WRITES) {
      this.events.subscribe(
        'port',
        `after_${op}`,
        (payload) => {
          for (const event of novaEventsFor(portChangeOf(op, payload))) this.batcher.add(event);
        },
        { name: 'nova-notifier' },
      );
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    this.worker = await this.bus.process(NOVA_EVENTS_QUEUE, (job) => this.deliver(job));
  }

  async onModuleDestroy(): Promise<void> {
    await this.batcher.close();
    this.stopping.abort();
    await this.worker?.close();
  }

  /** The queue worker: resolves when Nova took the batch or refused it for good; throws to be retried. */
  async deliver(job: unknown): Promise<void> {
    const events = (job as Partial<NovaEventsJob> | null)?.events;
    if (!Array.isArray(events) || events.length === 0) {
      this.logger.error(`dropping a malformed ${NOVA_EVENTS_QUEUE} job: ${JSON.stringify(job)}`);
      return;
    }
    // NovaUnavailableError propagates: the bus logs it and retries the job with backoff.
    this.logReply(events, await this.nova.send(events));
  }

  private async enqueue(events: NovaEvent[]): Promise<void> {
    try {
      await this.bus.enqueue(NOVA_EVENTS_QUEUE, { events } satisfies NovaEventsJob, DELIVERY);
    } catch (e) {
      this.logger.error(`could not enqueue ${events.length} Nova event(s), they are lost: ${(e as Error).message}`);
    }
  }

  private logReply(sent: NovaEvent[], reply: NovaReply): void {
    if (reply.status === 404) {
      this.logger.debug(`Nova knows none of the servers of ${describe(sent)}; ignored`);
      return;
    }
    if (reply.status !== 200 && reply.status !== 207) {
      this.logger.error(`Nova refused ${describe(sent)} with ${reply.status}, dropped: ${reply.detail ?? ''}`);
      return;
    }
    for (const event of reply.events) {
      const line = `${event.name} ${event.tag} for server ${event.server_uuid}: ${event.code ?? '?'}`;
      if (event.code === 200) this.logger.log(line);
      else if (event.code === 404) this.logger.debug(`${line} (server unknown to Nova; ignored)`);
      else this.logger.warn(line);
    }
  }
}

function describe(events: NovaEvent[]): string {
  return events.map((e) => `${e.name} ${e.tag}`).join(', ');
}

/** The Identity stub of this process, reached on the address it listens on (a wildcard bind is reached on loopback). */
export function localIdentityUrl(config: AppConfig): string {
  const host = ['0.0.0.0', '', '::', '[::]'].includes(config.host) ? '127.0.0.1' : config.host;
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${hostPart}:${config.identity.port}`;
}
