import { EntitySchema } from 'typeorm';

/** The table (created with the ports, migration 1764000002000): rows go with their port (ON DELETE CASCADE). */
export const EXTRA_DHCP_OPTS_TABLE = 'extradhcpopts';

/** extra_dhcp_opts entries: one per (port, opt_name, ip_version). */
export interface ExtraDhcpOptRow {
  port_id: string;
  opt_name: string;
  ip_version: number;
  opt_value: string;
  position: number;
}

export const ExtraDhcpOptEntity = new EntitySchema<ExtraDhcpOptRow>({
  name: 'ExtraDhcpOpt',
  tableName: EXTRA_DHCP_OPTS_TABLE,
  columns: {
    port_id: { type: 'varchar', length: 36, primary: true },
    opt_name: { type: 'varchar', length: 64, primary: true },
    ip_version: { type: 'integer', primary: true },
    opt_value: { type: 'varchar', length: 255 },
    position: { type: 'integer' },
  },
});
