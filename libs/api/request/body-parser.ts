import { badRequest } from '../errors/neutron-error.js';
import { type AttributeMap, type AttributeSpec, NOT_SPECIFIED } from '../resource/attribute.js';
import { MalformedValue } from '../validators/index.js';
import type { ApiObject } from '../resource/resource-definition.js';

export interface Caller {
  projectId: string;
  isAdmin: boolean;
}

/** JSON text → object, with Neutron's answer for anything that is not a JSON object. */
export function parseJsonBody(raw: string | undefined): ApiObject | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw badRequest('Body contains invalid data');
  }
  if (!isObject(data)) throw badRequest('Body contains invalid data');
  return data;
}

/**
 * Neutron's prepare_request_body: envelope, bulk, project ownership, unknown/read-only attributes, defaults,
 * converters, validators. Returns one parsed item per resource (one unless bulk).
 */
export function prepareRequestBody(
  body: ApiObject | undefined,
  opts: { resource: string; collection: string; attributes: AttributeMap; isCreate: boolean; allowBulk: boolean; caller: Caller },
): ApiObject[] {
  const { resource, collection } = opts;
  if (!body) throw badRequest('Resource body required');
  if (collection in body) {
    if (!opts.isCreate || !opts.allowBulk) throw badRequest('Bulk operation not supported');
    const items = body[collection];
    if (!items || (Array.isArray(items) && items.length === 0)) throw badRequest('Resources required');
    if (!Array.isArray(items)) throw badRequest('Body contains invalid data');
    return items.map((item) => {
      if (!isObject(item)) throw badRequest('Body contains invalid data');
      return prepareItem(resource in item ? item[resource] : item, opts);
    });
  }
  const item = body[resource];
  if (item === undefined || item === null) throw badRequest(`Unable to find '${resource}' in request body`);
  return [prepareItem(item, opts)];
}

function prepareItem(
  raw: unknown,
  opts: { resource: string; attributes: AttributeMap; isCreate: boolean; caller: Caller },
): ApiObject {
  if (!isObject(raw)) throw badRequest(`Object '${opts.resource}' contains invalid data`);
  const item: ApiObject = { ...raw };
  const { attributes, caller } = opts;
  populateProjectInfo(item);
  if ('project_id' in item && item.project_id !== caller.projectId && !caller.isAdmin) {
    throw badRequest(
      "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin or advsvc privileges",
    );
  }
  if (opts.isCreate && !('project_id' in item) && 'project_id' in attributes) {
    item.project_id = caller.projectId;
    item.tenant_id = caller.projectId;
  }
  let unknown: string[] | undefined;
  for (const key of Object.keys(item)) if (!(key in attributes)) (unknown ??= []).push(key);
  if (unknown) throw badRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);

  const entries = entriesOf(attributes);
  for (const [attr, spec] of entries) {
    if (opts.isCreate) {
      if (!spec.allowPost) {
        if (attr in item) throw badRequest(`Attribute '${attr}' not allowed in POST`);
        continue;
      }
      if (!(attr in item)) {
        if (!('default' in spec)) throw badRequest(`Failed to parse request. Required attribute '${attr}' not specified`);
        const value = spec.default;
        if (value !== NOT_SPECIFIED) item[attr] = typeof value === 'object' && value !== null ? structuredClone(value) : value;
      }
    } else if (attr in item && !spec.allowPut) {
      throw badRequest(`Cannot update read-only attribute ${attr}`);
    }
  }
  for (const [attr, spec] of entries) {
    if (!(attr in item)) continue;
    try {
      if (spec.convert) item[attr] = spec.convert(item[attr]);
      for (const validate of spec.validate ?? []) {
        const reason = validate(item[attr]);
        if (reason) throw badRequest(`Invalid input for ${attr}. Reason: ${reason}.`);
      }
    } catch (e) {
      // Where Neutron would crash with a 500 on a value of the wrong type, say which attribute it was.
      if (e instanceof MalformedValue) throw badRequest(`Invalid input for ${attr}. Reason: the value has the wrong type or form.`);
      throw e;
    }
  }
  return item;
}

/** An attribute map's entries, listed once per map (a resource's map is replaced, never changed, when a fragment joins). */
const entriesCache = new WeakMap<AttributeMap, [string, AttributeSpec][]>();
function entriesOf(attributes: AttributeMap): [string, AttributeSpec][] {
  let entries = entriesCache.get(attributes);
  if (!entries) {
    entries = Object.entries(attributes);
    entriesCache.set(attributes, entries);
  }
  return entries;
}

/** tenant_id and project_id are one attribute with two names. */
export function populateProjectInfo(item: ApiObject): void {
  if ('tenant_id' in item && !('project_id' in item)) item.project_id = item.tenant_id;
  else if ('project_id' in item && !('tenant_id' in item)) item.tenant_id = item.project_id;
  if (item.project_id !== item.tenant_id) throw badRequest("'project_id' and 'tenant_id' do not match");
}

export function isObject(v: unknown): v is ApiObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
