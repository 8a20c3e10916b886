/**
 * A TypeScript port of neutron-lib 3.1.0's API validators and converters (plus the security group converters and
 * the validators extensions register), with Neutron's exact reason and error texts. oracle/oracle.spec.ts replays
 * ~12k answers recorded from the real Python code.
 *
 * Where we knowingly differ:
 * - strings holding U+0000 are refused by every string validator ("Strings must not contain the NUL character");
 * - Python prints sets (dict-key checks) in hash-seed order; we print them in the order given;
 * - JSON 1.0 is a float in Python but 1 in JS: integral numbers are treated as ints everywhere;
 * - where Python itself crashes (e.g. a null subnet cidr, a list as protocol), we throw the 500 Neutron answers.
 */
export type { Converter, Validator } from './types.js';
export * from './string.validators.js';
export * from './number.validators.js';
export * from './network.validators.js';
export * from './collection.validators.js';
export * from './extension.validators.js';
export * from './converters.js';
export { getValidator, validatorsByName, type ValidatorFactory } from './registry.js';
export { pyRepr, pyStr, pyFloatRepr, pyEquals, pyTruthy, pyLen, pyJsonDumps, pySetRepr } from './py-format.js';
export { MalformedValue, malformedValue } from './py-errors.js';
export {
  cidrOf,
  formatIp,
  formatIPv4,
  formatIPv6,
  formatNetwork,
  inetPton4,
  inetPton6,
  type IpAddress,
  type IpNetwork,
  type IpVersion,
  networkAddress,
  lastAddress,
  parseIpNetwork,
} from './ip.js';
