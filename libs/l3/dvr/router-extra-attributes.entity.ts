import { EntitySchema } from 'typeorm';

export const ROUTER_EXTRA_ATTRIBUTES_TABLE = 'router_extra_attributes';

/** A router's `distributed` flag (Neutron's router_extra_attributes, of which the dvr extension needs this column). */
export interface RouterExtraAttributesRow {
  router_id: string;
  distributed: boolean;
}

export const RouterExtraAttributesEntity = new EntitySchema<RouterExtraAttributesRow>({
  name: 'RouterExtraAttributes',
  tableName: ROUTER_EXTRA_ATTRIBUTES_TABLE,
  columns: {
    router_id: { type: 'varchar', length: 36, primary: true },
    distributed: { type: 'boolean' },
  },
});
