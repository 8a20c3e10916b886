import { EntitySchema } from 'typeorm';
import { type StandardColumns, standardEntityColumns } from '../../api/resource/standard-row.js';
import { PORTS_TABLE } from './ports.contract.js';

/** One port: its own columns only (bindings, port security, address pairs… are other domains' tables). */
export interface PortRow extends StandardColumns {
  name: string;
  network_id: string;
  mac_address: string;
  admin_state_up: boolean;
  status: string;
  device_id: string;
  device_owner: string;
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
  },
});
