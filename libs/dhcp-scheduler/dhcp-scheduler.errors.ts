import { conflict, notFound } from '../api/errors/neutron-error.js';

// neutron_lib.exceptions.dhcpagentscheduler; InvalidDHCPAgent is an AgentNotFound, hence 404.
export const invalidDhcpAgent = (id: string) => notFound('InvalidDHCPAgent', `Agent ${id} is not a valid DHCP Agent or has been disabled.`);
export const networkHostedByDhcpAgent = (networkId: string, agentId: string) =>
  conflict('NetworkHostedByDHCPAgent', `The network ${networkId} has been already hosted by the DHCP Agent ${agentId}.`);
export const networkNotHostedByDhcpAgent = (networkId: string, agentId: string) =>
  conflict('NetworkNotHostedByDhcpAgent', `The network ${networkId} is not hosted by the DHCP Agent ${agentId}.`);
export const networkNotFound = (id: string) => notFound('NetworkNotFound', `Network ${id} could not be found.`);
