import { notFound } from '../../api/errors/neutron-error.js';
import { type AttributeMap, projectAttributes } from '../../api/resource/attribute.js';
import type { ResourceDefinition, ResourceFragment, ResourceService } from '../../api/resource/resource-definition.js';
import {
  convertToIntIfNotNone,
  convertToProtocolNeutronLib,
  validateIpAddress,
  validatePortRangeOrNone,
  validateRangeOrNone,
  validateString,
  validateUuid,
  validateValues,
} from '../../api/validators/index.js';

/** neutron-lib's floating_ip_port_forwarding PROTOCOLS (iptables' protocol names). */
export const PF_PROTOCOLS = ['dccp', 'icmp', 'ipv6-icmp', 'sctp', 'tcp', 'udp'];

// With floating-ip-port-forwarding-port-ranges a port may be left out for its range ('N' or 'N:M').
const port = { allowPost: true, allowPut: true, default: null, convert: convertToIntIfNotNone, validate: [validateRangeOrNone(1, 65535)] };
const range = { allowPost: true, allowPut: true, default: null, validate: [validatePortRangeOrNone([1, 65535])] };

/** port_forwardings (floating-ip-port-forwarding, -description, -port-ranges), a sub-resource of floatingips. */
export const portForwardingAttributes: AttributeMap = {
  id: { allowPost: false, allowPut: false, validate: [validateUuid()], isFilter: true, isSortKey: true },
  // Owned through the floating IP: required by policy, never shown.
  ...Object.fromEntries(Object.entries(projectAttributes()).map(([k, spec]) => [k, { ...spec, isVisible: false, isFilter: false, isSortKey: false }])),
  external_port: { ...port, isFilter: true, isSortKey: true },
  internal_port: port,
  // Kept as two columns each, so the ranges are neither filters nor sort keys here.
  external_port_range: range,
  internal_port_range: range,
  internal_ip_address: { allowPost: true, allowPut: true, validate: [validateIpAddress()] },
  protocol: { allowPost: true, allowPut: true, convert: convertToProtocolNeutronLib, validate: [validateValues(PF_PROTOCOLS)], isFilter: true, isSortKey: true },
  internal_port_id: { allowPost: true, allowPut: true, validate: [validateUuid()], isFilter: true, isSortKey: true },
  description: { allowPost: true, allowPut: true, default: '', validate: [validateString(1024)], isFilter: true },
};

export const portForwardingNotFound = (id: string) => notFound('PortForwardingNotFound', `Port Forwarding ${id} could not be found.`);

export function portForwardingDefinition(service: ResourceService): ResourceDefinition {
  return {
    name: 'port_forwarding',
    collection: 'port_forwardings',
    path: 'port_forwardings',
    parent: 'floatingips',
    policyName: 'floatingip_port_forwarding',
    attributes: portForwardingAttributes,
    service,
    allowBulk: false,
    notFound: portForwardingNotFound,
  };
}

/** expose-port-forwarding-in-fip: a floating IP's port forwardings, one query per page. */
export function floatingIpPortForwardingsFragment(load: ResourceFragment['load']): ResourceFragment {
  return { name: 'expose-port-forwarding-in-fip', attributes: { port_forwardings: { allowPost: false, allowPut: false, default: null } }, load };
}
