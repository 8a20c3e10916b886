import { badRequest, conflict, type DomainError, notFound } from '../api/errors/neutron-error.js';

/** neutron_lib.exceptions.dhcpagentscheduler (the wire `type`) and the extension's body error, one factory below for each. */
export const DHCP_SCHEDULER_ERRORS = ['InvalidDHCPAgent', 'NetworkHostedByDHCPAgent', 'NetworkNotHostedByDhcpAgent', 'HTTPBadRequest'] as const;
export type DhcpSchedulerError = DomainError<typeof DHCP_SCHEDULER_ERRORS>;

// InvalidDHCPAgent is an AgentNotFound, hence 404.
export const invalidDhcpAgent = (id: string): DhcpSchedulerError =>
  notFound('InvalidDHCPAgent', `Agent ${id} is not a valid DHCP Agent or has been disabled.`);
export const networkHostedByDhcpAgent = (networkId: string, agentId: string): DhcpSchedulerError =>
  conflict('NetworkHostedByDHCPAgent', `The network ${networkId} has been already hosted by the DHCP Agent ${agentId}.`);
export const networkNotHostedByDhcpAgent = (networkId: string, agentId: string): DhcpSchedulerError =>
  conflict('NetworkNotHostedByDhcpAgent', `The network ${networkId} is not hosted by the DHCP Agent ${agentId}.`);

/** POST /agents/{id}/dhcp-networks without a network_id (the controller's body check). */
export const networkIdNotSpecified = (): DhcpSchedulerError =>
  badRequest("Failed to parse request. Required attribute 'network_id' not specified");
