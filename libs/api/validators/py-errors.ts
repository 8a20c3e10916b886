import { NeutronError } from '../errors/neutron-error.js';

/**
 * The Python exception classes our ports of neutron-lib/netaddr raise internally. They never leave this folder:
 * converters and validators turn them into what Neutron would answer (a message, an InvalidInput, or a 500).
 */
export type PyErrorType = 'AddrFormatError' | 'ValueError' | 'TypeError' | 'OverflowError' | 'AttributeError';

export class PyError extends Error {
  constructor(
    readonly pyType: PyErrorType,
    message: string = pyType,
  ) {
    super(message);
  }
}

export const pyError = (pyType: PyErrorType, message?: string) => new PyError(pyType, message);

/**
 * What Neutron answers when a converter or validator crashes with a non-Neutron Python exception (TypeError,
 * ValueError, OverflowError…): api_common maps it to a 500 with this fixed message.
 */
export const internalServerError = () =>
  new NeutronError('HTTPInternalServerError', 'Request Failed: internal server error while processing your request.', 500);

/** A Neutron exception class that is a BadRequest/InvalidInput subclass (400) with its own `type`. */
export const badRequestOf = (type: string, message: string) => new NeutronError(type, message, 400);

/** Run `fn`; a PyError escaping it becomes the 500 Neutron would answer. NeutronErrors pass through. */
export function crashAs500<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PyError) throw internalServerError();
    throw e;
  }
}
