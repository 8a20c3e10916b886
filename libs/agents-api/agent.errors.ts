import { type DomainError, notFound } from '../api/errors/neutron-error.js';

/** neutron-lib's agent exceptions the agents API raises (the wire `type`), one factory below for each. */
export const AGENT_ERRORS = ['AgentNotFound'] as const;
export type AgentError = DomainError<typeof AGENT_ERRORS>;

export const agentNotFound = (id: string): AgentError => notFound('AgentNotFound', `Agent ${id} could not be found.`);
