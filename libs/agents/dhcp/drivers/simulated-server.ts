/**
 * The `simulated` dataplane's DHCP server: the real core answering real DHCPv4 packets on a loopback UDP port
 * (config `dataplane.dhcp_port`, 0 = any free port). Loopback has no broadcast, so every reply goes back to the
 * sender's address and port instead of RFC 2131's destination.
 */
import dgram from 'node:dgram';
import { type DhcpEvent, type DhcpEventKind, DhcpResponder } from '../core/dhcp-responder.js';
import type { DhcpServerState } from '../core/dhcp-state.js';

export interface SimulatedDhcpServerOptions {
  /** 0 = any free port; `start()` reports the one bound. */
  port: number;
  host?: string;
  state: DhcpServerState;
  /** Every packet's outcome (offers, acks, naks, releases, declines, and why a packet was ignored). */
  onEvent?: (event: DhcpEvent) => void;
  /** A reply sent (its packet's outcome: offer, ack, nak or inform), for the replies-served counter. */
  onReplied?: (kind: DhcpEventKind) => void;
  /** A send or socket failure; the server keeps serving. */
  onError?: (error: Error) => void;
}

export interface BoundAddress {
  address: string;
  port: number;
}

export class SimulatedDhcpServer {
  private readonly responder: DhcpResponder;
  private socket: dgram.Socket | undefined;
  private bound: BoundAddress | undefined;

  constructor(private readonly options: SimulatedDhcpServerOptions) {
    this.responder = new DhcpResponder(options.state);
  }

  get address(): BoundAddress | undefined {
    return this.bound;
  }

  /** What the current state could not serve (see DhcpResponder.update). */
  get warnings(): readonly string[] {
    return this.responder.warnings;
  }

  async start(): Promise<BoundAddress> {
    if (this.bound) return this.bound;
    const socket = dgram.createSocket({ type: 'udp4' });
    socket.on('message', (message, remote) => this.onMessage(socket, message, remote));
    socket.on('error', (error) => this.options.onError?.(error));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.port, this.options.host ?? '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    this.socket = socket;
    const { address, port } = socket.address();
    this.bound = { address, port };
    return this.bound;
  }

  /** Swaps the served networks without a restart; returns what the new state cannot serve. */
  update(state: DhcpServerState): string[] {
    return this.responder.update(state);
  }

  /** The responder, to change one network or port of what it serves (see DhcpResponder.setNetwork, upsertPort). */
  get leases(): Pick<DhcpResponder, 'setNetwork' | 'removeNetwork' | 'upsertPort' | 'removePort'> {
    return this.responder;
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    this.bound = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private onMessage(socket: dgram.Socket, message: Buffer, remote: dgram.RemoteInfo): void {
    const outcome = this.responder.handle(message);
    this.options.onEvent?.(outcome.event);
    if (!outcome.reply) return;
    socket.send(outcome.reply.bytes, remote.port, remote.address, (error) => {
      if (error) this.options.onError?.(error);
      else this.options.onReplied?.(outcome.event.kind);
    });
  }
}
