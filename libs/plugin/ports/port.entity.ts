import { EntitySchema } from 'typeorm';
import { type StandardColumns, standardEntityColumns } from '../../api/resource/standard-row.js';
import { PORTS_TABLE } from './ports.contract.js';

export const ALLOWED_ADDRESS_PAIRS_TABLE = 'allowedaddresspairs';
export const EXTRA_DHCP_OPTS_TABLE = 'extradhcpopts';

/** One port; the `binding:*` attributes live on the row until port bindings get their own table (issue 5). */
export interface PortRow extends StandardColumns {
  name: string;
  network_id: string;
  mac_address: string;
  admin_state_up: boolean;
  status: string;
  device_id: string;
  device_owner: string;
  port_security_enabled: boolean;
  binding_host_id: string;
  binding_vnic_type: string;
  binding_profile: Record<string, unknown>;
  binding_vif_type: string;
  binding_vif_details: Record<string, unknown>;
}

export const PortEntity = new EntitySchema<PortRow>({
  name: 'Port',
  tableName: PORTS_TABLE,
  columns: {
    ...standardEntityColumns,
    name: { type: 'varchar', length: 255 },
    network_id: { type: 'varchar', length: 36 },
    mac_address: { type: 'varchar', length: 32 },
    admin_state_up: { type: 'boolean' },
    status: { type: 'varchar', length: 16 },
    device_id: { type: 'varchar', length: 255 },
    device_owner: { type: 'varchar', length: 255 },
    port_security_enabled: { type: 'boolean' },
    binding_host_id: { type: 'varchar', length: 255 },
    binding_vnic_type: { type: 'varchar', length: 64 },
    binding_profile: { type: 'simple-json' },
    binding_vif_type: { type: 'varchar', length: 64 },
    binding_vif_details: { type: 'simple-json' },
  },
});

/** allowed_address_pairs entries, kept as the client wrote them (Neutron's AuthenticEUI/AuthenticIPNetwork). */
export interface AllowedAddressPairRow {
  port_id: string;
  mac_address: string;
  ip_address: string;
  position: number;
}

export const AllowedAddressPairEntity = new EntitySchema<AllowedAddressPairRow>({
  name: 'AllowedAddressPair',
  tableName: ALLOWED_ADDRESS_PAIRS_TABLE,
  columns: {
    port_id: { type: 'varchar', length: 36, primary: true },
    mac_address: { type: 'varchar', length: 32, primary: true },
    ip_address: { type: 'varchar', length: 64, primary: true },
    position: { type: 'integer' },
  },
});

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
