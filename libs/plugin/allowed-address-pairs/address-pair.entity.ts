import { EntitySchema } from 'typeorm';

/** The table (created with the ports, migration 1764000002000): rows go with their port (ON DELETE CASCADE). */
export const ALLOWED_ADDRESS_PAIRS_TABLE = 'allowedaddresspairs';

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
