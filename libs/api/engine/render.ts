import type { AttributeMap } from '../resource/attribute.js';
import type { ApiObject } from '../resource/resource-definition.js';

/** The visible attribute names of a map, computed once per map: rendering runs for every item of every list. */
const visibleByMap = new WeakMap<AttributeMap, string[]>();

function visibleAttributes(attributes: AttributeMap): string[] {
  let names = visibleByMap.get(attributes);
  if (!names) {
    names = Object.keys(attributes).filter((attr) => attributes[attr].isVisible !== false);
    visibleByMap.set(attributes, names);
  }
  return names;
}

/**
 * What the client sees of an item: visible attributes of the map only (others are stripped, as Neutron's policy
 * hook does), minus those the read policy hides, both tenant_id and project_id, narrowed to `fields` if given.
 */
export function renderItem(attributes: AttributeMap, item: ApiObject, fields: string[], hidden: string[]): ApiObject {
  const out: ApiObject = {};
  const wanted = fields.length ? new Set(fields) : undefined;
  for (const attr of visibleAttributes(attributes)) {
    if (hidden.length && hidden.includes(attr)) continue;
    if (wanted && !wanted.has(attr)) continue;
    const value = attr === 'tenant_id' ? item.project_id : item[attr];
    if (value !== undefined) out[attr] = value;
  }
  return out;
}
