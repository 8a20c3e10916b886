import { EntitySchema } from 'typeorm';

export const L3_BINDINGS_TABLE = 'routerl3agentbindings';

/** A router scheduled to an L3 agent (Neutron's routerl3agentbindings; legacy routers: one agent each). */
export interface RouterL3AgentBindingRow {
  router_id: string;
  l3_agent_id: string;
  binding_index: number;
}

export const RouterL3AgentBindingEntity = new EntitySchema<RouterL3AgentBindingRow>({
  name: 'RouterL3AgentBinding',
  tableName: L3_BINDINGS_TABLE,
  columns: {
    router_id: { type: 'varchar', length: 36, primary: true },
    l3_agent_id: { type: 'varchar', length: 36, primary: true },
    binding_index: { type: 'integer' },
  },
});
