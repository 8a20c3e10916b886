import type { AttributeMap } from '../api/resource/attribute.js';
import type { ResourceDefinition, ResourceService } from '../api/resource/resource-definition.js';
import { convertToBoolean, validateStringOrNone, validateUuid } from '../api/validators/index.js';
import { agentNotFound } from './agent.errors.js';

const readOnly = { allowPost: false, allowPut: false };
const filter = { ...readOnly, isFilter: true };

/**
 * agents (neutron-lib api/definitions/agent.py, plus availability_zone from availability_zone.py and resources_synced
 * from agent_resources_synced.py). No attribute is a sort key: the agent_sort_key extension is not loaded, so any
 * sort_key on /agents is a 400, as in Neutron.
 */
export const agentAttributes: AttributeMap = {
  id: { ...filter, validate: [validateUuid()] },
  agent_type: filter,
  binary: filter,
  topic: filter,
  host: filter,
  admin_state_up: { allowPost: false, allowPut: true, convert: convertToBoolean, isFilter: true },
  created_at: readOnly,
  started_at: readOnly,
  heartbeat_timestamp: readOnly,
  // Computed from heartbeat_timestamp; the service filters it in SQL. Neutron converts only the first value.
  alive: { ...filter, convertFilter: convertToBoolean },
  configurations: readOnly,
  description: { allowPost: false, allowPut: true, validate: [validateStringOrNone(255)], isFilter: true },
  availability_zone: filter,
  resources_synced: readOnly,
};

export function agentDefinition(service: ResourceService): ResourceDefinition {
  return {
    name: 'agent',
    collection: 'agents',
    path: 'agents',
    attributes: agentAttributes,
    service,
    allowBulk: false,
    notFound: agentNotFound,
  };
}
