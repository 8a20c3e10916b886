import type { AttributeMap } from '../resource/attribute.js';
import type { ApiObject } from '../resource/resource-definition.js';

interface Rendering {
  /** The visible attribute names, in the map's order. */
  names: string[];
  /** Objects that have exactly some of the names (null values), by those names: see renderItem. */
  shapes: Map<string, ApiObject>;
  /** The shape the previous item took, and its names: a list's items nearly always take the same one. */
  lastNames: string[];
  lastShape: ApiObject;
}

const MAX_SHAPES = 64;

/** Computed once per map: rendering runs for every item of every list. */
const renderings = new WeakMap<AttributeMap, Rendering>();

function renderingOf(attributes: AttributeMap): Rendering {
  let rendering = renderings.get(attributes);
  if (!rendering) {
    const names = Object.keys(attributes).filter((attr) => attributes[attr].isVisible !== false);
    rendering = { names, shapes: new Map(), lastNames: [], lastShape: {} };
    renderings.set(attributes, rendering);
  }
  return rendering;
}

// One item is rendered at a time (synchronously): its chosen names and values wait here, not in arrays of their own.
const chosenNames: string[] = [];
const chosenValues: unknown[] = [];
let lastFields: string[] = [];
let lastWanted: Set<string> | undefined;

/**
 * What the client sees of an item: visible attributes of the map only (others are stripped, as Neutron's policy
 * hook does), minus those the read policy hides, both tenant_id and project_id, narrowed to `fields` if given.
 *
 * The result is a copy of a prepared object that already has exactly those keys, filled in: an object grown key by
 * key through a generic store can turn into a hash table past a dozen keys (a port has 27), several times bigger and
 * slower to serialize.
 */
export function renderItem(attributes: AttributeMap, item: ApiObject, fields: string[], hidden: string[]): ApiObject {
  const rendering = renderingOf(attributes);
  if (fields !== lastFields) {
    lastFields = fields;
    lastWanted = fields.length ? new Set(fields) : undefined;
  }
  const wanted = lastWanted;
  let n = 0;
  for (const attr of rendering.names) {
    if (hidden.length && hidden.includes(attr)) continue;
    if (wanted && !wanted.has(attr)) continue;
    const value = attr === 'tenant_id' ? item.project_id : item[attr];
    if (value === undefined) continue;
    chosenNames[n] = attr;
    chosenValues[n] = value;
    n++;
  }
  const out: ApiObject = { ...shapeFor(rendering, n) };
  for (let i = 0; i < n; i++) out[chosenNames[i]] = chosenValues[i];
  chosenValues.fill(undefined, 0, n);
  return out;
}

/** The prepared object with the first `n` chosen names, in that order. */
function shapeFor(rendering: Rendering, n: number): ApiObject {
  const last = rendering.lastNames;
  let same = last.length === n;
  for (let i = 0; same && i < n; i++) same = last[i] === chosenNames[i];
  if (same) return rendering.lastShape;
  const names = chosenNames.slice(0, n);
  const key = names.join('\n');
  let shape = rendering.shapes.get(key);
  if (!shape) {
    if (rendering.shapes.size >= MAX_SHAPES) rendering.shapes.clear();
    // JSON.parse lays every property out inside the object itself; spreading the result copies that layout.
    shape = JSON.parse(JSON.stringify(Object.fromEntries(names.map((name) => [name, null])))) as ApiObject;
    rendering.shapes.set(key, shape);
  }
  rendering.lastNames = names;
  rendering.lastShape = shape;
  return shape;
}
