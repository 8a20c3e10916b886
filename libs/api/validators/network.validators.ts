/** neutron-lib's IP address, subnet (CIDR), route CIDR and MAC address validators. */
import type { Validator } from './types.js';
import { cidrOf, formatIp, formatNetwork, type IpNetwork, isLoopbackNetwork, parseIpAddress, parseIpNetwork } from './ip.js';
import { isMacText, macValue } from './mac.js';
import { isNone, pyStr } from './py-format.js';
import { isStrWithoutSpace } from './string.validators.js';

/**
 * validate_ip_address. IPv4 must be four dotted parts that Python's int() reads as 0..255 and must equal its
 * canonical text ('1.1.1.01' → "'1.1.1.01' is not an accepted IP address, '1.1.1.1' is recommended");
 * IPv6 is anything inet_pton accepts.
 */
export function ipAddressReason(data: unknown): string | undefined {
  const invalid = `'${pyStr(data)}' is not a valid IP address`;
  if (!isStrWithoutSpace(data)) return invalid;
  let ip;
  try {
    ip = parseIpAddress(data, { zerofill: true });
  } catch {
    return invalid;
  }
  if (!data.includes(':') && data.split('.').length - 1 !== 3) return invalid;
  if (ip.version === 4 && formatIp(ip) !== data) {
    return `'${data}' is not an accepted IP address, '${formatIp(ip)}' is recommended`;
  }
  return undefined;
}

export function validateIpAddress(): Validator {
  return ipAddressReason;
}

export function validateIpAddressOrNone(): Validator {
  return (data) => (isNone(data) ? undefined : ipAddressReason(data));
}

function networkOf(data: unknown): IpNetwork | undefined {
  if (!isStrWithoutSpace(data)) return undefined;
  try {
    return parseIpNetwork(data);
  } catch {
    return undefined;
  }
}

/**
 * validate_subnet: a CIDR with '/'. IPv4 text must be canonical (host bits may be set: '192.168.1.7/24' is fine);
 * IPv6 only needs to parse. "'10.0.0.0' isn't a recognized IP subnet cidr, '10.0.0.0/32' is recommended".
 */
export function subnetReason(data: unknown): string | undefined {
  const net = networkOf(data);
  if (!net) return `'${pyStr(data)}' is not a valid IP subnet`;
  const text = data as string;
  if (!text.includes('/') || (net.version === 4 && formatNetwork(net) !== text)) {
    return `'${text}' isn't a recognized IP subnet cidr, '${formatNetwork(cidrOf(net))}' is recommended`;
  }
  return undefined;
}

export function validateSubnet(): Validator {
  return subnetReason;
}

export function validateSubnetOrNone(): Validator {
  return (data) => (isNone(data) ? undefined : subnetReason(data));
}

/** validate_route_cidr (host routes' destination): a CIDR without host bits, not IPv4 loopback. */
export function routeCidrReason(data: unknown): string | undefined {
  const net = networkOf(data);
  if (!net) return `'${pyStr(data)}' is not a valid CIDR`;
  const text = data as string;
  if (!text.includes('/') || cidrOf(net).value !== net.value) {
    return `'${text}' is not a recognized CIDR, '${formatNetwork(cidrOf(net))}' is recommended`;
  }
  if (isLoopbackNetwork(net)) return `'${text}' is not a routable CIDR`;
  return undefined;
}

export function validateRouteCidr(): Validator {
  return routeCidrReason;
}

/** validate_ip_or_subnet_or_none */
export function validateIpOrSubnetOrNone(): Validator {
  return (data) => {
    if (isNone(data)) return undefined;
    if (ipAddressReason(data) !== undefined && subnetReason(data) !== undefined) {
      return `'${pyStr(data)}' is neither a valid IP address, nor is it a valid IP subnet`;
    }
    return undefined;
  };
}

const ALL_ONES_48 = (1n << 48n) - 1n;

/** validate_mac_address: any netaddr EUI-48 text form, except 00:00:00:00:00:00 and ff:ff:ff:ff:ff:ff. */
export function macAddressReason(data: unknown): string | undefined {
  if (isStrWithoutSpace(data) && isMacText(data)) {
    const v = macValue(data);
    if (v !== undefined && v !== 0n && v !== ALL_ONES_48) return undefined;
  }
  return `'${pyStr(data)}' is not a valid MAC address`;
}

export function validateMacAddress(): Validator {
  return macAddressReason;
}

export function validateMacAddressOrNone(): Validator {
  return (data) => (isNone(data) ? undefined : macAddressReason(data));
}
