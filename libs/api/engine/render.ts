import type { AttributeMap } from '../resource/attribute.js';
import type { ApiObject } from '../resource/resource-definition.js';

interface Rendering {
  /** The visible attribute names, in the map's order. */
  names: string[];
  /** An object with every visible name (null values), built once: a copy of it has its final shape from the start. */
  shape: ApiObject;
}

/** Computed once per map: rendering runs for every item of every list. */
const renderings = new WeakMap<AttributeMap, Rendering>();

function renderingOf(attributes: AttributeMap): Rendering {
  let rendering = renderings.get(attributes);
  if (!rendering) {
    const names = Object.keys(attributes).filter((attr) => attributes[attr].isVisible !== false);
    // JSON.parse gives an object whose properties all sit in the object itself; spreading it copies that layout.
    const shape = JSON.parse(JSON.stringify(Object.fromEntries(names.map((name) => [name, null])))) as ApiObject;
    rendering = { names, shape };
    renderings.set(attributes, rendering);
  }
  return rendering;
}

/**
 * What the client sees of an item: visible attributes of the map only (others are stripped, as Neutron's policy
 * hook does), minus those the read policy hides, both tenant_id and project_id, narrowed to `fields` if given.
 */
export function renderItem(attributes: AttributeMap, item: ApiObject, fields: string[], hidden: string[]): ApiObject {
  const { names, shape } = renderingOf(attributes);
  if (!fields.length && !hidden.length) {
    const whole = renderWhole(names, shape, item);
    if (whole) return whole;
  }
  const out: ApiObject = {};
  const wanted = fields.length ? new Set(fields) : undefined;
  for (const attr of names) {
    if (hidden.length && hidden.includes(attr)) continue;
    if (wanted && !wanted.has(attr)) continue;
    const value = attr === 'tenant_id' ? item.project_id : item[attr];
    if (value !== undefined) out[attr] = value;
  }
  return out;
}

/**
 * Every visible attribute, when the item has a value for each (a full list's usual case): filled into a copy of the
 * map's shape instead of growing an object key by key, which for a port's 27 keys allocated several times the object.
 * The same keys in the same order as the general path; undefined when some value is missing (that path skips it).
 */
function renderWhole(names: string[], shape: ApiObject, item: ApiObject): ApiObject | undefined {
  const out: ApiObject = { ...shape };
  for (let i = 0; i < names.length; i++) {
    const attr = names[i];
    const value = attr === 'tenant_id' ? item.project_id : item[attr];
    if (value === undefined) return undefined;
    out[attr] = value;
  }
  return out;
}
