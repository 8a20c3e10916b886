import { NeutronError } from '../errors/neutron-error.js';

/**
 * The Python exception classes our ports of neutron-lib/netaddr raise internally. They never leave this folder:
 * converters and validators turn them into what Neutron would answer (a message, an InvalidInput) or, where Neutron
 * crashes, a MalformedValue (400).
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
 * Where Neutron's converter or validator crashes on a value of the wrong type or form (TypeError, ValueError,
 * OverflowError…) Neutron answers a 500. Bad input is never a 500 here: it is a 400 the body parser names the
 * attribute in.
 */
export class MalformedValue extends NeutronError {
  constructor() {
    super('HTTPBadRequest', 'Invalid input: a value has the wrong type or form.', 400);
  }
}
export const malformedValue = () => new MalformedValue();

/** A Neutron exception class that is a BadRequest/InvalidInput subclass (400) with its own `type`. */
export const badRequestOf = (type: string, message: string) => new NeutronError(type, message, 400);

/** Run `fn`; a PyError escaping it (where Neutron would crash) becomes a MalformedValue. NeutronErrors pass through. */
export function crashAsMalformed<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PyError) throw malformedValue();
    throw e;
  }
}
