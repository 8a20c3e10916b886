/** neutron-lib's list and dict validators: unique lists, fixed_ips, ip_pools, nameservers, host routes, dict key specs. */
import { invalidInput, NeutronError } from '../errors/neutron-error.js';
import type { Converter, Validator } from './types.js';
import { badRequestOf, malformedValue } from './py-errors.js';
import { isDict, isList, isNone, isStr, pyEquals, pyHashable, pyIn, pyRepr, pySetRepr, pyStr, pyTruthy } from './py-format.js';
import { ipAddressReason, routeCidrReason, subnetReason } from './network.validators.js';
import { getValidator } from './registry.js';
import { type MaxLen, regexReason, pyPattern, stringReason, uuidReason } from './string.validators.js';

type ItemReason = (item: unknown) => string | undefined;

/** _collect_duplicates: each duplicated item once, in order of its second appearance. */
function collectDuplicates(items: readonly unknown[]): unknown[] {
  const seen: unknown[] = [];
  const dups: unknown[] = [];
  for (const item of items) {
    if (pyIn(item, seen)) {
      if (!pyIn(item, dups)) dups.push(item);
      continue;
    }
    seen.push(item);
  }
  return dups;
}

/** _validate_list_of_items: a list, no duplicates, every item valid. */
export function listOfItemsReason(itemReason: ItemReason, data: unknown): string | undefined {
  if (!isList(data)) return `'${pyStr(data)}' is not a list`;
  const dups = collectDuplicates(data);
  if (dups.length) return `Duplicate items in the list: '${dups.map(pyStr).join(', ')}'`;
  for (const item of data) {
    const msg = itemReason(item);
    if (msg) return msg;
  }
  return undefined;
}

/** _validate_list_of_items_non_empty */
export function nonEmptyListOfItemsReason(itemReason: ItemReason, data: unknown): string | undefined {
  return listOfItemsReason(itemReason, data) ?? ((data as unknown[]).length === 0 ? 'List should not be empty' : undefined);
}

export function validateListOfUniqueStrings(maxLen?: MaxLen): Validator {
  return (data) => listOfItemsReason((item) => stringReason(item, maxLen), data);
}

export function validateUuidList(): Validator {
  return (data) => listOfItemsReason(uuidReason, data);
}

export function validateUuidListNonEmpty(): Validator {
  return (data) => nonEmptyListOfItemsReason(uuidReason, data);
}

export function validateSubnetList(): Validator {
  return (data) => listOfItemsReason(subnetReason, data);
}

export function validateSubnetListOrNone(): Validator {
  return (data) => (isNone(data) ? undefined : listOfItemsReason(subnetReason, data));
}

export function validateListOfRegexOrNone(pattern: string | RegExp): Validator {
  const re = isNone(pattern) ? undefined : pyPattern(pattern);
  return (data) => (isNone(data) ? undefined : listOfItemsReason((item) => regexReason(item, re), data));
}

/**
 * _verify_dict_keys. Python prints the key sets in hash order, which changes from one process to the next;
 * we print them in the order given (expected keys) and in the dict's order (provided keys).
 */
export function verifyDictKeysReason(expected: readonly string[], target: unknown, strict = true): string | undefined {
  if (!isDict(target)) {
    return `Invalid input. '${pyStr(target)}' must be a dictionary with keys: ${pyRepr(expected)}`;
  }
  const wanted = [...new Set(expected)];
  const provided = Object.keys(target);
  const ok = strict
    ? wanted.length === provided.length && wanted.every((k) => provided.includes(k))
    : wanted.every((k) => provided.includes(k));
  if (ok) return undefined;
  return `Validation of dictionary's keys failed. Expected keys: ${pySetRepr(wanted)} Provided keys: ${pySetRepr(provided)}`;
}

/** validate_ip_pools: a list of {start, end} (exactly those keys) holding IP addresses. */
export function ipPoolsReason(data: unknown): string | undefined {
  if (!isList(data)) return `Invalid data format for IP pool: '${pyStr(data)}'`;
  const keys = ['start', 'end'];
  for (const pool of data) {
    const msg = verifyDictKeysReason(keys, pool);
    if (msg) return msg;
    for (const k of keys) {
      const ipMsg = ipAddressReason((pool as Record<string, unknown>)[k]);
      if (ipMsg) return ipMsg;
    }
  }
  return undefined;
}

export function validateIpPools(): Validator {
  return ipPoolsReason;
}

/** validate_fixed_ips: a list of dicts; an ip_address must be valid and not repeated, a subnet_id a UUID. */
export function fixedIpsReason(data: unknown): string | undefined {
  if (!isList(data)) return `Invalid data format for fixed IP: '${pyStr(data)}'`;
  const ips: unknown[] = [];
  for (const fixedIp of data) {
    if (!isDict(fixedIp)) return `Invalid data format for fixed IP: '${pyStr(fixedIp)}'`;
    if ('ip_address' in fixedIp) {
      const address = fixedIp.ip_address;
      const msg = pyIn(address, ips) ? `Duplicate IP address '${pyStr(address)}'` : ipAddressReason(address);
      if (msg) return msg;
      ips.push(address);
    }
    if ('subnet_id' in fixedIp) {
      const msg = uuidReason(fixedIp.subnet_id);
      if (msg) return msg;
    }
  }
  return undefined;
}

export function validateFixedIps(): Validator {
  return fixedIpsReason;
}

/** What `for x in data` walks for a JSON value (str: code points, dict: keys); undefined if not iterable. */
function pyIter(data: unknown): unknown[] | undefined {
  if (isList(data)) return data;
  if (isStr(data)) return [...data];
  if (isDict(data)) return Object.keys(data);
  return undefined;
}

/** validate_nameservers: unique IP addresses. Any iterable is walked, so a str is checked character by character. */
export function nameserversReason(data: unknown): string | undefined {
  const items = pyIter(data);
  if (!items) return `Invalid data format for nameserver: '${pyStr(data)}'`;
  const hosts: unknown[] = [];
  for (const host of items) {
    const msg = ipAddressReason(host);
    if (msg) return `'${pyStr(host)}' is not a valid nameserver. ${msg}`;
    if (pyIn(host, hosts)) return `Duplicate nameserver '${pyStr(host)}'`;
    hosts.push(host);
  }
  return undefined;
}

export function validateNameservers(): Validator {
  return nameserversReason;
}

/** validate_hostroutes: a list of unique {destination: routable CIDR, nexthop: IP} (exactly those keys). */
export function hostroutesReason(data: unknown): string | undefined {
  if (!isList(data)) return `Invalid data format for hostroute: '${pyStr(data)}'`;
  const routes: unknown[] = [];
  for (const route of data) {
    const msg = verifyDictKeysReason(['destination', 'nexthop'], route);
    if (msg) return msg;
    const r = route as Record<string, unknown>;
    const m = routeCidrReason(r.destination) ?? ipAddressReason(r.nexthop);
    if (m) return m;
    if (pyIn(route, routes)) return `Duplicate hostroute '${pyStr(route)}'`;
    routes.push(route);
  }
  return undefined;
}

export function validateHostroutes(): Validator {
  return hostroutesReason;
}

/**
 * One key's spec inside a `type:dict` spec, as neutron-lib writes it: `required`, an optional `convert_to`, and one
 * `type:<name>` entry whose value is that validator's parameter (looked up in validatorsByName).
 */
export interface KeySpec {
  required?: boolean;
  convert_to?: Converter;
  [validator: `type:${string}`]: unknown;
}
export type KeySpecs = Record<string, KeySpec>;

/** _validate_dict_item. Like Python, a `convert_to` rewrites the value inside `data`. */
function dictItemReason(key: string, spec: KeySpec, data: Record<string, unknown>): string | undefined {
  if (spec.convert_to) data[key] = spec.convert_to(data[key] ?? null);
  const name = Object.keys(spec).find((k) => k.startsWith('type:'));
  if (!name) return undefined;
  const factory = getValidator(name);
  if (!factory) return `Validator '${name}' does not exist`;
  return factory(spec[name as `type:${string}`])(data[key] ?? null);
}

/** validate_dict: a dict; with key specs, required keys present, no unknown keys, each present key valid. */
export function dictReason(data: unknown, keySpecs?: KeySpecs | null): string | undefined {
  if (!isDict(data)) return `'${pyStr(data)}' is not a dictionary`;
  if (!keySpecs || Object.keys(keySpecs).length === 0) return undefined;
  const required = Object.keys(keySpecs).filter((k) => pyTruthy(keySpecs[k].required));
  if (required.length) {
    const msg = verifyDictKeysReason(required, data, false);
    if (msg) return msg;
  }
  const unexpected = Object.keys(data).filter((k) => !(k in keySpecs));
  if (unexpected.length) return `Unexpected keys supplied: ${unexpected.join(', ')}`;
  for (const [key, spec] of Object.entries(keySpecs)) {
    if (!(key in data)) continue;
    const msg = dictItemReason(key, spec, data);
    if (msg) return msg;
  }
  return undefined;
}

export function validateDict(keySpecs?: KeySpecs | null): Validator {
  return (data) => dictReason(data, keySpecs);
}

export function validateDictOrNone(keySpecs?: KeySpecs | null): Validator {
  return (data) => (isNone(data) ? undefined : dictReason(data, keySpecs));
}

/** validate_dict_or_empty: {} passes, anything else (None included) must be a valid dict. */
export function validateDictOrEmpty(keySpecs?: KeySpecs | null): Validator {
  return (data) => (pyEquals(data, {}) ? undefined : dictReason(data, keySpecs));
}

/** validate_dict_or_nodata: any falsy value (None, {}, [], '', 0, False) passes unchecked. */
export function validateDictOrNodata(keySpecs?: KeySpecs | null): Validator {
  return (data) => (pyTruthy(data) ? dictReason(data, keySpecs) : undefined);
}

/**
 * validate_any_key_specs_or_none (extra_dhcp_opts): None, or a list of unique dicts each matching one of the key
 * specs. It raises rather than returns: InvalidInput with the list's reason or "No valid key specs matched for: …".
 */
export function validateAnyKeySpecsOrNone(keySpecs: readonly KeySpecs[]): Validator {
  return (data) => {
    if (isNone(data)) return undefined;
    const msg = listOfItemsReason((item) => {
      if (keySpecs.some((spec) => dictReason(item, spec) === undefined)) return undefined;
      throw invalidInput(`No valid key specs matched for: ${pyStr(item)}`);
    }, data);
    if (msg) throw invalidInput(msg);
    return undefined;
  };
}

/** validate_subports (trunk): a list of {port_id, segmentation_type, segmentation_id} with unique ports/segments. */
export function subportsReason(data: unknown): string | undefined {
  if (!isList(data)) return `Invalid data format for subports: '${pyStr(data)}' is not a list`;
  const portIds: unknown[] = [];
  const segmentations: Array<{ type: unknown; ids: unknown[] }> = [];
  for (const subport of data) {
    if (!isDict(subport)) return `Invalid data format for subport: '${pyStr(subport)}' is not a dict`;
    if (!('port_id' in subport)) return 'A valid port UUID must be specified';
    const portId = subport.port_id;
    if (uuidReason(portId)) return `Invalid UUID for subport: '${pyStr(portId)}'`;
    if (pyIn(portId, portIds)) return `Non unique UUID for subport: '${pyStr(portId)}'`;
    portIds.push(portId);
    const segType = subport.segmentation_type ?? null;
    if (segType === 'inherit') return undefined;
    const segId = subport.segmentation_id ?? null;
    if ((!pyTruthy(segType) || isNone(segId)) && Object.keys(subport).length > 1) {
      return `Invalid subport details '${pyStr(subport)}': missing segmentation information. Must specify both segmentation_id and segmentation_type`;
    }
    // set/dict membership: unhashable values crash Python (500)
    if (!pyHashable(segType) || !pyHashable(segId)) throw malformedValue();
    const bucket = segmentations.find((s) => pyEquals(s.type, segType));
    if (bucket && pyIn(segId, bucket.ids)) {
      return `Segmentation ID '${pyStr(segId)}' for '${pyStr(portId)}' is not unique`;
    }
    if (!isNone(segId)) {
      if (bucket) bucket.ids.push(segId);
      else segmentations.push({ type: segType, ids: [segId] });
    }
  }
  return undefined;
}

export function validateSubports(): Validator {
  return subportsReason;
}

/**
 * validate_subnet_service_types: raises. neutron-lib adds the str 'compute:' to a list of prefixes, which adds its
 * characters one by one; so any type starting with 'network:', 'neutron:' or one of c o m p u t e : is accepted.
 */
const SERVICE_TYPE_PREFIXES = ['network:', 'neutron:', ...'compute:'];

export function validateSubnetServiceTypes(): Validator {
  return (data) => {
    if (!pyTruthy(data)) return undefined;
    if (!isList(data)) throw new NeutronError('HTTPBadRequest', 'Subnet service types must be a list.', 400);
    for (const t of data) {
      if (!isStr(t)) throw badRequestOf('InvalidInputSubnetServiceType', `Subnet service type ${pyStr(t)} is not a string.`);
      if (!SERVICE_TYPE_PREFIXES.some((p) => t.startsWith(p))) {
        throw badRequestOf('InvalidSubnetServiceType', `Subnet service type ${t} does not correspond to a valid device owner.`);
      }
    }
    return undefined;
  };
}
