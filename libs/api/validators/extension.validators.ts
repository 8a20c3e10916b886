/**
 * Validators that neutron-lib/neutron register from extension modules: availability_zone_hint_list,
 * allowed_address_pairs, network_segments (multiprovidernet) and name_not_default (security groups).
 */
import { invalidInput, NeutronError } from '../errors/neutron-error.js';
import type { Validator } from './types.js';
import { badRequestOf, malformedValue } from './py-errors.js';
import { isDict, isList, isStr, pyEquals, pyHashable, pyJsonDumps, pyStr, pyTruthy } from './py-format.js';
import { listOfItemsReason } from './collection.validators.js';
import { convertToInt } from './converters.js';
import { ipAddressReason, macAddressReason, subnetReason } from './network.validators.js';
import { stringReason } from './string.validators.js';

/** neutron_lib.db.constants.AZ_HINTS_DB_LEN */
export const AZ_HINTS_DB_LEN = 255;

/**
 * availability_zone's _validate_availability_zone_hints: unique strings whose json.dumps fits in 255 characters;
 * too long raises InvalidInput "Too many availability_zone_hints specified".
 */
export function validateAvailabilityZoneHintList(): Validator {
  return (data) => {
    const msg = listOfItemsReason((item) => stringReason(item), data);
    if (msg) return msg;
    if (pyJsonDumps(data).length > AZ_HINTS_DB_LEN) throw invalidInput('Too many availability_zone_hints specified');
    return undefined;
  };
}

/** convert_az_list_to_string: how Neutron stores the hints (json.dumps). */
export const convertAzListToString = (azList: unknown): string => pyJsonDumps(azList);

/** convert_az_string_to_list */
export function convertAzStringToList(azString: unknown): unknown {
  if (!pyTruthy(azString)) return [];
  try {
    return JSON.parse(String(azString));
  } catch {
    throw malformedValue();
  }
}

const httpBadRequest = (msg: string) => new NeutronError('HTTPBadRequest', msg, 400);

/** Python's `needle in haystack` for str/list/dict haystacks; other types raise TypeError (a 500 in Neutron). */
function pyContains(haystack: unknown, needle: string): boolean {
  if (isStr(haystack)) return haystack.includes(needle);
  if (isList(haystack)) return haystack.some((x) => pyEquals(x, needle));
  if (isDict(haystack)) return needle in haystack;
  throw malformedValue();
}

/**
 * allowedaddresspairs' _validate_allowed_address_pairs (cfg max_allowed_address_pair, default 10). Mostly raises:
 * HTTPBadRequest, AllowedAddressPairExhausted, AllowedAddressPairsMissingIP, DuplicateAddressPairInRequest.
 */
export function validateAllowedAddressPairs(maxAllowedAddressPair = 10): Validator {
  return (pairs) => {
    if (!isList(pairs)) throw httpBadRequest('Allowed address pairs must be a list.');
    if (pairs.length > maxAllowedAddressPair) {
      throw badRequestOf('AllowedAddressPairExhausted', `The number of allowed address pair exceeds the maximum ${maxAllowedAddressPair}.`);
    }
    const seen: Array<[unknown, unknown]> = [];
    for (const pair of pairs) {
      if (!isDict(pair)) return `'${pyStr(pair)}' is not a dictionary`;
      if ('mac_address' in pair) {
        const msg = macAddressReason(pair.mac_address);
        if (msg) throw httpBadRequest(msg);
      }
      if (!('ip_address' in pair)) throw badRequestOf('AllowedAddressPairsMissingIP', 'AllowedAddressPair must contain ip_address');
      const mac = pair.mac_address ?? null;
      const ip = pair.ip_address;
      if (!pyHashable(mac) || !pyHashable(ip)) throw malformedValue();
      if (seen.some(([m, i]) => pyEquals(m, mac) && pyEquals(i, ip))) {
        throw badRequestOf(
          'DuplicateAddressPairInRequest',
          `Request contains duplicate address pair: mac_address ${pyStr(mac)} ip_address ${pyStr(ip)}.`,
        );
      }
      seen.push([mac, ip]);
      const extra = Object.keys(pair).filter((k) => k !== 'mac_address' && k !== 'ip_address');
      if (extra.length) throw httpBadRequest(`Unrecognized attribute(s) '${extra.join(', ')}'`);
      const msg = pyContains(ip, '/') ? subnetReason(ip) : ipAddressReason(ip);
      if (msg) throw httpBadRequest(msg);
    }
    return undefined;
  };
}

/** Default stand-in for ATTR_NOT_SPECIFIED when the caller does not pass its own sentinel. */
export const NETWORK_SEGMENT_NOT_SPECIFIED = Symbol.for('neutron.ATTR_NOT_SPECIFIED');

/**
 * multiprovidernet's convert_and_validate_segments. Like Python it rewrites each segment in place: missing
 * provider:network_type / provider:physical_network / provider:segmentation_id become `notSpecified` (pass the
 * engine's ATTR_NOT_SPECIFIED), a truthy segmentation_id goes through int(). Non-dict segments crash (500).
 */
export function validateNetworkSegments(notSpecified: unknown = NETWORK_SEGMENT_NOT_SPECIFIED): Validator {
  const keys = ['provider:network_type', 'provider:physical_network', 'provider:segmentation_id'];
  return (segments) => {
    const items = isList(segments) ? segments : isDict(segments) ? Object.keys(segments) : isStr(segments) ? [...segments] : undefined;
    if (!items) throw malformedValue();
    for (const segment of items) {
      if (!isDict(segment)) throw malformedValue();
      if (!('provider:network_type' in segment)) segment['provider:network_type'] = notSpecified;
      if (!('provider:physical_network' in segment)) segment['provider:physical_network'] = notSpecified;
      const segId = segment['provider:segmentation_id'];
      if (pyTruthy(segId)) segment['provider:segmentation_id'] = convertToInt(segId);
      else segment['provider:segmentation_id'] = notSpecified;
      if (Object.keys(segment).length !== 3) {
        const extra = Object.keys(segment).filter((k) => !keys.includes(k));
        throw httpBadRequest(`Unrecognized attribute(s) '${extra.join(', ')}'`);
      }
    }
    return undefined;
  };
}

/** securitygroup's _validate_name_not_default: a string, and not 'default' in any case (SecurityGroupDefaultAlreadyExists, 409). */
export function validateNameNotDefault(maxLen: number | null = 255): Validator {
  return (data) => {
    const msg = stringReason(data, maxLen);
    if (msg) return msg;
    if ((data as string).toLowerCase() === 'default') {
      throw new NeutronError('SecurityGroupDefaultAlreadyExists', 'Default security group already exists.', 409);
    }
    return undefined;
  };
}
