import { NeutronError } from '../../api/errors/neutron-error.js';
import type { ApiObject } from '../../api/resource/resource-definition.js';
import type { PortForwardingRow } from '../l3.entities.js';

/** A port forwarding's first and last port (one port: both the same). */
export type PortRange = readonly [number, number];

export const badPortForwarding = (msg: string) => new NeutronError('BadRequest', `Bad port_forwarding request: ${msg}.`, 400);

export const rangeText = ([first, last]: PortRange) => `${first}:${last}`;

/** 'N', 'N:M' or N (already validated by validate_port_range_or_none). */
function parseRange(value: unknown): PortRange {
  const [first, last = first] = String(value).split(':').map(Number);
  return [first, last];
}

/** A request's port or range for one side; the single port wins when both are given, as in Neutron's object. */
function requested(item: ApiObject, side: 'external' | 'internal'): PortRange | undefined {
  const port = item[`${side}_port`];
  if (port !== null && port !== undefined) return [port as number, port as number];
  const range = item[`${side}_port_range`];
  if (range !== null && range !== undefined) return parseRange(range);
  return undefined;
}

/**
 * The ports a create or update asks for, over what the port forwarding has (`current`): internal and external
 * ranges are N-N or 1-N (pf_plugin's _validate_ranges).
 */
export function requestedPorts(item: ApiObject, current?: PortForwardingRow): { external: PortRange; internal: PortRange } {
  const external = requested(item, 'external') ?? (current && ([current.external_port, current.external_port_end] as const));
  const internal = requested(item, 'internal') ?? (current && ([current.internal_port, current.internal_port_end] as const));
  if (!external) throw badPortForwarding('external_port or external_port_range must be given');
  if (!internal) throw badPortForwarding('internal_port or internal_port_range must be given');
  const span = (r: PortRange) => r[1] - r[0];
  if (span(internal) > 0 && span(internal) !== span(external)) {
    throw badPortForwarding('Invalid ranges of internal and/or external ports. The relation between internal and external ports must be N-N or 1-N');
  }
  return { external, internal };
}

export const overlaps = (a: PortRange, b: PortRange) => Math.max(a[0], b[0]) <= Math.min(a[1], b[1]);
