import { ConfigError } from '../../config/index.js';

/** An inclusive range of segmentation ids. */
export type IdRange = readonly [min: number, max: number];

export const VLAN_TAG_RANGE: IdRange = [1, 4094];
/** VXLAN and Geneve VNIs are 24 bits (neutron-lib MIN/MAX_VXLAN_VNI, MIN/MAX_GENEVE_VNI). */
export const VNI_RANGE: IdRange = [1, 2 ** 24 - 1];

const isValid = (id: number, [min, max]: IdRange) => Number.isInteger(id) && id >= min && id <= max;
const pyInt = (text: string): number | undefined => (/^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : undefined);

/**
 * neutron-lib's parse_network_vlan_ranges: 'physnet' or 'physnet:min:max', in order; a physnet named without a
 * range may use every VLAN tag (VLAN_VALID_RANGE), as Neutron's current type driver does.
 */
export function parseVlanRanges(entries: readonly string[]): Map<string, IdRange[]> {
  const ranges = new Map<string, IdRange[]>();
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry.includes(':')) {
      ranges.set(entry, [VLAN_TAG_RANGE]);
      continue;
    }
    const parts = entry.split(':');
    if (parts.length !== 3) throw vlanRangeError(entry, 'Need exactly two values for VLAN range');
    const [physnet, minText, maxText] = parts;
    if (!physnet) throw rangeError('network_vlan_ranges', 'Empty physical network name.');
    const min = pyInt(minText);
    if (min === undefined) throw vlanRangeError(entry, `${minText} is not a valid VLAN tag`);
    const max = pyInt(maxText);
    if (max === undefined) throw vlanRangeError(entry, `${maxText} is not a valid VLAN tag`);
    for (const tag of [min, max]) if (!isValid(tag, VLAN_TAG_RANGE)) throw vlanRangeError(`${min}:${max}`, `${tag} is not a valid VLAN tag`);
    if (max < min) throw vlanRangeError(`${min}:${max}`, 'End of VLAN range is less than start of VLAN range');
    const current = ranges.get(physnet);
    if (current?.length === 1 && current[0] === VLAN_TAG_RANGE) continue;
    ranges.set(physnet, [...(current ?? []), [min, max]]);
  }
  return ranges;
}

/** The tunnel type drivers' _parse_tunnel_ranges with verify_tunnel_range: 'min:max' entries. */
export function parseTunnelRanges(entries: readonly string[], type: 'vxlan' | 'geneve', key: string): IdRange[] {
  return entries.map((raw) => {
    const entry = raw.trim();
    const parts = entry.split(':');
    const [min, max] = parts.map(pyInt);
    if (parts.length !== 2 || min === undefined || max === undefined) {
      throw rangeError(key, `Invalid network tunnel range: '${entry}' - ${parts.length !== 2 ? `expected 'min:max'` : 'not an integer'}.`);
    }
    for (const id of [min, max]) {
      if (!isValid(id, VNI_RANGE)) throw rangeError(key, `Invalid network tunnel range: '${min}:${max}' - ${id} is not a valid ${type} identifier.`);
    }
    if (max < min) throw rangeError(key, `Invalid network tunnel range: '${min}:${max}' - End of tunnel range is less than start of tunnel range.`);
    return [min, max] as const;
  });
}

export const inRanges = (id: number, ranges: readonly IdRange[]) => ranges.some(([min, max]) => id >= min && id <= max);

function vlanRangeError(range: string, error: string): ConfigError {
  return rangeError('network_vlan_ranges', `Invalid network VLAN range: '${range}' - '${error}'.`);
}

function rangeError(key: string, message: string): ConfigError {
  return new ConfigError(`Invalid configuration:\n  ml2.${key}: ${message}`);
}
