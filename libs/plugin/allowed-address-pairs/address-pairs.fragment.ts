import { NOT_SPECIFIED } from '../../api/resource/attribute.js';
import type { ApiObject, ResourceFragment } from '../../api/resource/resource-definition.js';
import { convertNoneToEmptyList, validateAllowedAddressPairs } from '../../api/validators/index.js';
import { type AddressPair, addressPairsFor } from './address-pairs.rules.js';
import { loadAddressPairs, replaceAddressPairs } from './address-pairs.store.js';

const ATTR = 'allowed_address_pairs';

/** allowed-address-pairs on ports (Neutron's allowedaddresspairs_db). Port security's rules about them are port-security's. */
export const addressPairsFragment: ResourceFragment = {
  name: 'allowed-address-pairs',
  order: 10,
  attributes: {
    [ATTR]: {
      allowPost: true,
      allowPut: true,
      default: NOT_SPECIFIED,
      convert: convertNoneToEmptyList,
      validate: [validateAllowedAddressPairs(10)],
      enforcePolicy: true,
    },
  },

  async load(ctx, items, fields) {
    if (fields.length && !fields.includes(ATTR)) return;
    const pairs = await loadAddressPairs(ctx.em, items.map((p) => p.id as string));
    for (const port of items) port[ATTR] = pairs.get(port.id as string) ?? [];
  },

  async create(ctx, port, request) {
    const pairs = addressPairsFor((request[ATTR] as Record<string, unknown>[] | undefined) ?? [], port.mac_address as string);
    await replaceAddressPairs(ctx.em, port.id as string, pairs, false);
    port[ATTR] = pairs;
  },

  async update(ctx, port, original, changes) {
    const old = original[ATTR] as AddressPair[];
    if (!(ATTR in changes) || sameJson(changes[ATTR], old)) return;
    const pairs = addressPairsFor(changes[ATTR] as Record<string, unknown>[], port.mac_address as string);
    await replaceAddressPairs(ctx.em, port.id as string, pairs, old.length > 0);
    port[ATTR] = pairs;
  },
};

const sameJson = (a: unknown, b: ApiObject | unknown) => JSON.stringify(a) === JSON.stringify(b);
