/** Table of ports (owner: libs/plugin/ports): id, network_id, project_id, device_owner, device_id, mac_address… */
export const PORTS_TABLE = 'ports';

/** Device owners whose ports do not keep a network or subnet "in use" (Neutron's auto-delete owners). */
export const AUTO_DELETE_PORT_OWNERS = ['network:dhcp', 'network:distributed', 'network:agent_gateway'];
