/**
 * The DHCP server inside one `qdhcp-` namespace (run by dhcp-worker.ts). Sockets as measured on this machine type
 * (ARCHITECTURE.md): requests arrive on 0.0.0.0:67; replies leave from a socket bound to the DHCP port's own address
 * with broadcast on (255.255.255.255 from the wildcard socket fails with ENETUNREACH); unicast renewals land on that
 * bound socket, so it is read too. reuseAddr on all of them.
 */
import dgram from 'node:dgram';
import { parseDhcp } from '../../core/dhcp-codec.js';
import { addressOption, Option, SERVER_PORT } from '../../core/dhcp-packet.js';
import { type DhcpEvent, type DhcpEventKind, DhcpResponder } from '../../core/dhcp-responder.js';
import type { DhcpServerState } from '../../core/dhcp-state.js';
import { formatIpv4 } from '../../core/ipv4.js';

export interface NamespaceDhcpServerOptions {
  port?: number;
  onEvent?: (event: DhcpEvent) => void;
  /** A reply sent (offer, ack, nak or inform). */
  onReplied?: (kind: DhcpEventKind) => void;
  onError?: (error: Error) => void;
}

export class NamespaceDhcpServer {
  private readonly responder = new DhcpResponder({ config: { lease_duration: 86400, dns_domain: '' }, networks: [] });
  private wildcard: dgram.Socket | undefined;
  /** the DHCP port's address → the socket bound to it */
  private readonly bound = new Map<string, dgram.Socket>();
  private readonly port: number;

  constructor(private readonly opts: NamespaceDhcpServerOptions = {}) {
    this.port = opts.port ?? SERVER_PORT;
  }

  /** Serves `state` from `addresses` (sockets opened and closed to match); returns what the state cannot serve. */
  async update(state: DhcpServerState, addresses: readonly string[]): Promise<string[]> {
    const warnings = this.responder.update(state);
    this.wildcard ??= await this.open('0.0.0.0');
    for (const [address, socket] of this.bound) {
      if (addresses.includes(address)) continue;
      this.bound.delete(address);
      socket.close();
    }
    for (const address of addresses) {
      if (!this.bound.has(address)) this.bound.set(address, await this.open(address));
    }
    return warnings;
  }

  close(): void {
    for (const socket of [this.wildcard, ...this.bound.values()]) socket?.close();
    this.wildcard = undefined;
    this.bound.clear();
  }

  private async open(address: string): Promise<dgram.Socket> {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    socket.on('message', (message) => this.onMessage(message));
    socket.on('error', (error) => this.opts.onError?.(error));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.port, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.setBroadcast(true);
    return socket;
  }

  private onMessage(message: Buffer): void {
    const outcome = this.responder.handle(message);
    this.opts.onEvent?.(outcome.event);
    const reply = outcome.reply;
    if (!reply) return;
    const serverId = addressOption(parseDhcp(reply.bytes)!, Option.SERVER_ID);
    const socket = (serverId !== undefined && this.bound.get(formatIpv4(serverId))) || this.bound.values().next().value;
    if (!socket) {
      this.opts.onError?.(new Error('no socket bound to a DHCP port address: reply dropped'));
      return;
    }
    socket.send(reply.bytes, reply.destination.port, formatIpv4(reply.destination.address), (error) => {
      if (error) this.opts.onError?.(error);
      else this.opts.onReplied?.(outcome.event.kind);
    });
  }
}
