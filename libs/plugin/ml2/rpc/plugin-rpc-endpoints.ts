import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BUS, type Bus, type BusHandler, type Subscription } from '../../../bus/bus.contract.js';
import { PLUGIN_TOPIC } from '../../../rpc/agent-state.contract.js';

/**
 * The plug-in's RPC endpoints (Neutron's `Ml2Plugin._setup_rpc` endpoint list): every module that answers agents
 * adds its handlers while the application initialises (onModuleInit), the L2 RPC, the DHCP RPC and whatever comes
 * next; at bootstrap each topic gets one subscription that serves them all (a topic has one set of methods per
 * server: a second subscription would share the topic's calls with the first, not add methods to it).
 */
@Injectable()
export class PluginRpcEndpoints implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly topics = new Map<string, Record<string, BusHandler>>();
  private readonly subscriptions: Subscription[] = [];
  private listening = false;

  constructor(@Inject(BUS) private readonly bus: Bus) {}

  /** Adds methods to `topic` (default PLUGIN_TOPIC). A method is answered by one module: a second one is a bug. */
  add(handlers: Record<string, BusHandler>, topic: string = PLUGIN_TOPIC): void {
    if (this.listening) throw new Error(`RPC endpoints for ${topic} added after the server started listening`);
    const methods = this.topics.get(topic) ?? this.topics.set(topic, {}).get(topic)!;
    for (const [method, handler] of Object.entries(handlers)) {
      if (method in methods) throw new Error(`RPC method ${topic}.${method} is registered twice`);
      methods[method] = handler;
    }
  }

  /** The methods of `topic` registered so far. */
  methods(topic: string = PLUGIN_TOPIC): string[] {
    return Object.keys(this.topics.get(topic) ?? {});
  }

  async onApplicationBootstrap(): Promise<void> {
    this.listening = true;
    for (const [topic, handlers] of this.topics) this.subscriptions.push(await this.bus.subscribe(topic, handlers));
  }

  async onModuleDestroy(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) await subscription.close();
  }
}
