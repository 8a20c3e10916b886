import { badRequest, conflict, type DomainError, notFound } from '../../api/errors/neutron-error.js';

/** neutron/extensions/l3agentscheduler.py's exceptions (the wire `type`) and the body error. */
export const L3_SCHEDULER_ERRORS = ['InvalidL3Agent', 'RouterHostedByL3Agent', 'RouterL3AgentMismatch', 'HTTPBadRequest'] as const;
export type L3SchedulerError = DomainError<typeof L3_SCHEDULER_ERRORS>;

// InvalidL3Agent is an AgentNotFound, hence 404.
export const invalidL3Agent = (id: string): L3SchedulerError => notFound('InvalidL3Agent', `Agent ${id} is not a L3 Agent or has been disabled`);
export const routerHostedByL3Agent = (routerId: string, agentId: string): L3SchedulerError =>
  conflict('RouterHostedByL3Agent', `The router ${routerId} has been already hosted by the L3 Agent ${agentId}.`);
export const routerIdNotSpecified = (): L3SchedulerError => badRequest("Failed to parse request. Required attribute 'router_id' not specified");
export const routerL3AgentMismatch = (routerId: string, agentId: string): L3SchedulerError =>
  conflict('RouterL3AgentMismatch', `Cannot host distributed router ${routerId} on legacy L3 agent ${agentId}.`);
