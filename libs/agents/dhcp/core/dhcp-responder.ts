/**
 * The DHCP server's state machine (RFC 2131 §4.3) for static leases only: one request in, at most one reply out,
 * plus an event saying what happened. Pure: the driver owns the sockets. Never throws on a packet.
 */
import { type DhcpMessage, parseDhcp, serializeDhcp } from './dhcp-codec.js';
import { addressOption, BOOTREPLY, BOOTREQUEST, BROADCAST_FLAG, type DhcpPacket, macOf, MessageType, messageTypeOf, Option } from './dhcp-packet.js';
import type { DhcpNetwork, DhcpPort, DhcpServerState } from './dhcp-state.js';
import { inCidr4 } from './ipv4.js';
import { fitOptions, maxReplyBytes } from './message-size.js';
import { buildLeaseTable, type Client, type Lease, type LeaseTable } from './lease-table.js';
import { addresses, text, uint8 } from './option-encoding.js';
import { type ReplyDestination, replyDestination } from './reply-destination.js';

export type DhcpEventKind = 'offer' | 'ack' | 'nak' | 'inform' | 'release' | 'decline' | 'ignored';

export interface DhcpEvent {
  kind: DhcpEventKind;
  xid?: number;
  mac?: string;
  portId?: string;
  networkId?: string;
  /** The address offered, acknowledged, refused, released or declined. */
  address?: number;
  /** Why a packet got no reply, or why a NAK. */
  reason?: string;
}

export interface DhcpReply {
  type: MessageType;
  bytes: Uint8Array;
  destination: ReplyDestination;
}

export interface DhcpOutcome {
  reply?: DhcpReply;
  event: DhcpEvent;
}

const TYPE_OPTIONS = Array.from({ length: 9 }, (_, type): [number, Uint8Array] => [Option.MESSAGE_TYPE, uint8(type)]);
const typeOption = (type: MessageType) => TYPE_OPTIONS[type];
const EMPTY_SNAME = new Uint8Array(64);
const EMPTY_FILE = new Uint8Array(128);

export class DhcpResponder {
  private table: LeaseTable;

  constructor(state: DhcpServerState) {
    this.table = buildLeaseTable(state);
  }

  /** Swaps the served state (ports added, removed or changed); returns what could not be served. */
  update(state: DhcpServerState): string[] {
    this.table = buildLeaseTable(state);
    return this.table.warnings;
  }

  /** Serves one network anew (it, its subnets or its DHCP port changed); returns what of it cannot be served. */
  setNetwork(network: DhcpNetwork): string[] {
    return this.table.setNetwork(network);
  }

  removeNetwork(networkId: string): void {
    this.table.removeNetwork(networkId);
  }

  /** One port of a served network added or changed, in O(its addresses); returns what of it cannot be served. */
  upsertPort(networkId: string, port: DhcpPort): string[] {
    return this.table.upsertPort(networkId, port);
  }

  removePort(networkId: string, portId: string): void {
    this.table.removePort(networkId, portId);
  }

  get warnings(): readonly string[] {
    return this.table.warnings;
  }

  get clientCount(): number {
    return this.table.size;
  }

  /** Bytes of one UDP datagram in; a malformed packet (or any fault) is an 'ignored' event, never an exception. */
  handle(bytes: Uint8Array): DhcpOutcome {
    try {
      const packet = parseDhcp(bytes);
      return packet ? this.respond(packet) : ignored('malformed packet');
    } catch (error) {
      return ignored(`failed: ${(error as Error).message}`);
    }
  }

  respond(request: DhcpPacket): DhcpOutcome {
    const type = messageTypeOf(request);
    if (request.op !== BOOTREQUEST || type === undefined) return ignored('not a DHCP request', request);
    const mac = macOf(request);
    if (mac === undefined) return ignored('not an Ethernet client', request);
    const client = this.findClient(mac, request);
    if (!client) return ignored('unknown MAC', request, mac);
    const on = (kind: DhcpEventKind, address?: number, reason?: string) => event(kind, request, mac, client, address, reason);
    switch (type) {
      case MessageType.DISCOVER: {
        const lease = leaseFor(client, addressOption(request, Option.REQUESTED_IP)) ?? client.leases[0];
        return this.answer(request, MessageType.OFFER, lease, on('offer', lease.address));
      }
      case MessageType.REQUEST:
        return this.request(request, client, on);
      case MessageType.INFORM: {
        const lease = leaseFor(client, request.ciaddr) ?? client.leases[0];
        return this.answer(request, MessageType.ACK, lease, on('inform', request.ciaddr));
      }
      case MessageType.RELEASE:
        return { event: on('release', request.ciaddr) };
      case MessageType.DECLINE:
        return { event: on('decline', addressOption(request, Option.REQUESTED_IP)) };
      default:
        return ignored(`message type ${type} is not a client's`, request, mac);
    }
  }

  private request(request: DhcpPacket, client: Client, on: (kind: DhcpEventKind, address?: number, reason?: string) => DhcpEvent): DhcpOutcome {
    const serverId = addressOption(request, Option.SERVER_ID);
    const requested = addressOption(request, Option.REQUESTED_IP);
    let wanted: number;
    if (serverId !== undefined) {
      // SELECTING: the client chose one OFFER; a REQUEST naming another server tells us ours was declined.
      if (!client.serverIds.has(serverId)) return { event: on('ignored', undefined, 'client selected another server') };
      wanted = requested ?? request.ciaddr;
    } else if (requested !== undefined) {
      wanted = requested; // INIT-REBOOT
    } else if (request.ciaddr !== 0) {
      wanted = request.ciaddr; // RENEWING (unicast) or REBINDING (broadcast)
    } else {
      return { event: on('ignored', undefined, 'REQUEST names no address') };
    }
    const lease = leaseFor(client, wanted);
    if (!lease) return this.nak(request, client, on('nak', wanted, "address is not the client's"));
    return this.answer(request, MessageType.ACK, lease, on('ack', wanted));
  }

  private answer(request: DhcpPacket, type: MessageType, lease: Lease, event: DhcpEvent): DhcpOutcome {
    const inform = event.kind === 'inform';
    const all: [number, Uint8Array][] = [typeOption(type), ...(inform ? lease.informOptions : lease.replyOptions)];
    echoClientId(request, all);
    const { options, dropped } = fitOptions(all, maxReplyBytes(request));
    if (dropped.length) event.reason = `options ${dropped.join(', ')} left out to fit the client's maximum message size`;
    // RFC 2131 table 3: ciaddr is echoed in an ACK, 0 in an OFFER; yiaddr is 0 in an ACK to INFORM.
    const ciaddr = type === MessageType.ACK ? request.ciaddr : 0;
    const message = replyMessage(request, request.flags & BROADCAST_FLAG, ciaddr, inform ? 0 : lease.address, lease.siaddr, options);
    return { reply: { type, bytes: serializeDhcp(message), destination: replyDestination(request, type) }, event };
  }

  private nak(request: DhcpPacket, client: Client, event: DhcpEvent): DhcpOutcome {
    const options: [number, Uint8Array][] = [
      typeOption(MessageType.NAK),
      [Option.SERVER_ID, addresses([client.leases[0].serverId])],
      [Option.MESSAGE, text('wrong address')],
    ];
    echoClientId(request, options);
    // A relay must broadcast a NAK to the client (RFC 2131 §4.1): ask it to by setting the broadcast bit.
    const flags = request.giaddr !== 0 ? BROADCAST_FLAG : request.flags & BROADCAST_FLAG;
    const message = replyMessage(request, flags, 0, 0, 0, options);
    return { reply: { type: MessageType.NAK, bytes: serializeDhcp(message), destination: replyDestination(request, MessageType.NAK) }, event };
  }

  /** One MAC on ports of several served networks: the relay's subnet, else the one holding the asked-for address. */
  private findClient(mac: string, request: DhcpPacket): Client | undefined {
    const clients = this.table.clients.get(mac);
    if (!clients || clients.length < 2) return clients?.[0];
    if (request.giaddr !== 0) {
      const relayed = clients.find((c) => c.leases.some((l) => inCidr4(request.giaddr, l.cidr)));
      if (relayed) return relayed;
    }
    const asked = addressOption(request, Option.REQUESTED_IP) ?? request.ciaddr;
    return clients.find((c) => leaseFor(c, asked)) ?? clients[0];
  }
}

function leaseFor(client: Client, address: number | undefined): Lease | undefined {
  if (address === undefined || address === 0) return undefined;
  return client.leases.find((l) => l.address === address);
}

/** RFC 6842: a server echoes the client identifier. */
function echoClientId(request: DhcpPacket, options: [number, Uint8Array][]): void {
  const clientId = request.options.get(Option.CLIENT_ID);
  if (clientId) options.push([Option.CLIENT_ID, clientId]);
}

/** Built as one literal (not spreads): object spreads were the main cost of a reply. */
function replyMessage(request: DhcpPacket, flags: number, ciaddr: number, yiaddr: number, siaddr: number, options: [number, Uint8Array][]): DhcpMessage {
  return {
    op: BOOTREPLY,
    htype: request.htype,
    hlen: request.hlen,
    hops: 0,
    xid: request.xid,
    secs: 0,
    flags,
    ciaddr,
    yiaddr,
    siaddr,
    giaddr: request.giaddr,
    chaddr: request.chaddr,
    sname: EMPTY_SNAME,
    file: EMPTY_FILE,
    options,
  };
}

function event(kind: DhcpEventKind, request: DhcpPacket, mac: string, client: Client, address?: number, reason?: string): DhcpEvent {
  const portId = address === undefined ? undefined : leaseFor(client, address)?.portId;
  return { kind, xid: request.xid, mac, portId, networkId: client.networkId, address, reason };
}

function ignored(reason: string, request?: DhcpPacket, mac?: string): DhcpOutcome {
  return { event: { kind: 'ignored', reason, xid: request?.xid, mac } };
}
