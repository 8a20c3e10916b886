import { EntitySchema } from 'typeorm';

export const PORT_SECURITY_TABLE = 'portsecuritybindings';

/**
 * A port's port_security_enabled (Neutron's portsecuritybindings). As in Neutron, a port without a row has port
 * security on: rows are written for the ports that have it off, so the common port costs no row.
 */
export interface PortSecurityRow {
  port_id: string;
  port_security_enabled: boolean;
}

export const PortSecurityEntity = new EntitySchema<PortSecurityRow>({
  name: 'PortSecurity',
  tableName: PORT_SECURITY_TABLE,
  columns: {
    port_id: { type: 'varchar', length: 36, primary: true },
    port_security_enabled: { type: 'boolean' },
  },
});
