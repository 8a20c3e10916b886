import { type DomainError, NeutronError } from '../api/errors/neutron-error.js';

/** neutron_lib/exceptions/metering.py, plus the plug-in's `Invalid` for rule prefixes (a 500 in Neutron: a 400 here). */
export const METERING_ERRORS = ['MeteringLabelNotFound', 'MeteringLabelRuleNotFound', 'MeteringLabelRuleOverlaps', 'Invalid', 'HTTPNotImplemented'] as const;
export type MeteringError = DomainError<typeof METERING_ERRORS>;

export const meteringLabelNotFound = (id: string): MeteringError => new NeutronError('MeteringLabelNotFound', `Metering label '${id}' does not exist.`, 404);
export const meteringLabelRuleNotFound = (id: string): MeteringError =>
  new NeutronError('MeteringLabelRuleNotFound', `Metering label rule '${id}' does not exist.`, 404);
export const meteringLabelRuleOverlaps = (prefix: string): MeteringError =>
  new NeutronError('MeteringLabelRuleOverlaps', `Metering label rule with remote_ip_prefix '${prefix}' overlaps another.`, 409);

/** MeteringPlugin.validate_metering_label_rule's refusals (neutron_lib.exceptions.Invalid). */
export const invalidRule = (message: string): MeteringError => new NeutronError('Invalid', message, 400);
export const remoteWithSourceOrDestination = (): MeteringError =>
  invalidRule("Cannot use 'remote-ip-prefix' in conjunction with 'source-ip-prefix' or 'destination-ip-prefix'.");
export const noPrefixGiven = (): MeteringError =>
  invalidRule("You must define at least one of the following parameters 'remote_ip_prefix', or 'source_ip_prefix' or 'destination_ip_prefix'.");
export const invalidPrefix = (field: string, value: unknown, why: string): MeteringError => invalidRule(`${field}: ${String(value)} is invalid [${why}].`);

/** Labels and rules have no update in Neutron's plug-in (NotImplementedError → 501). */
export const notImplemented = (): MeteringError =>
  new NeutronError('HTTPNotImplemented', 'The server has either erred or is incapable of performing the requested operation.', 501);
