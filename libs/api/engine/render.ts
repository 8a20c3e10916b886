import type { AttributeMap } from '../resource/attribute.js';
import type { ApiObject } from '../resource/resource-definition.js';

/**
 * What the client sees of an item: visible attributes of the map only (others are stripped, as Neutron's policy
 * hook does), minus those the read policy hides, both tenant_id and project_id, narrowed to `fields` if given.
 */
export function renderItem(attributes: AttributeMap, item: ApiObject, fields: string[], hidden: string[]): ApiObject {
  const out: ApiObject = {};
  const wanted = fields.length ? new Set(fields) : undefined;
  for (const [attr, spec] of Object.entries(attributes)) {
    if (spec.isVisible === false || hidden.includes(attr)) continue;
    if (wanted && !wanted.has(attr)) continue;
    const value = attr === 'tenant_id' ? item.project_id : item[attr];
    if (value !== undefined) out[attr] = value;
  }
  return out;
}
