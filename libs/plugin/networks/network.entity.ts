import { EntitySchema } from 'typeorm';
import { type StandardColumns, standardEntityColumns } from '../../api/resource/standard-row.js';

export interface NetworkRow extends StandardColumns {
  name: string;
  admin_state_up: boolean;
  status: string;
  shared: boolean;
  router_external: boolean;
  mtu: number;
  port_security_enabled: boolean;
  availability_zone_hints: string[];
}

export const NetworkEntity = new EntitySchema<NetworkRow>({
  name: 'Network',
  tableName: 'networks',
  columns: {
    ...standardEntityColumns,
    name: { type: 'varchar', length: 255 },
    admin_state_up: { type: 'boolean' },
    status: { type: 'varchar', length: 16 },
    shared: { type: 'boolean' },
    router_external: { type: 'boolean' },
    mtu: { type: 'integer' },
    port_security_enabled: { type: 'boolean' },
    availability_zone_hints: { type: 'simple-json' },
  },
});
