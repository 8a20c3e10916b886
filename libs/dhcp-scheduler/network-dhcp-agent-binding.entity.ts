import { EntitySchema } from 'typeorm';

export const DHCP_BINDINGS_TABLE = 'networkdhcpagentbindings';

/**
 * A network scheduled to a DHCP agent (Neutron's networkdhcpagentbindings). `binding_index` is unique per network:
 * two servers scheduling one network at once cannot both fill the same slot, so automatic scheduling never goes past
 * dhcp_agents_per_network.
 */
export interface NetworkDhcpAgentBindingRow {
  network_id: string;
  dhcp_agent_id: string;
  binding_index: number;
}

export const NetworkDhcpAgentBindingEntity = new EntitySchema<NetworkDhcpAgentBindingRow>({
  name: 'NetworkDhcpAgentBinding',
  tableName: DHCP_BINDINGS_TABLE,
  columns: {
    network_id: { type: 'varchar', length: 36, primary: true },
    dhcp_agent_id: { type: 'varchar', length: 36, primary: true },
    binding_index: { type: 'integer' },
  },
});
