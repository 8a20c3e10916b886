/**
 * A domain error with Neutron's exception class name (`type`, the error's code), message and HTTP code.
 * Services throw these; one filter renders them as {"NeutronError": {type, message, detail}}.
 *
 * Each domain lists the codes it raises in its `<domain>.errors.ts` (`export const NETWORK_ERRORS = [...] as const`)
 * and builds every error there, one factory per code, typed `DomainError<typeof NETWORK_ERRORS>`: call sites say
 * `throw networkInUse(id)`, never a code and a message inline, and a code outside the list is a compile error.
 */
export class NeutronError<Code extends string = string> extends Error {
  constructor(
    readonly type: Code,
    message: string,
    readonly status: number,
    readonly detail = '',
  ) {
    super(message);
  }
}

/** A Neutron error whose code is one of `codes` (a domain's `as const` list). */
export type DomainError<Codes extends readonly string[]> = NeutronError<Codes[number]>;

export const badRequest = (message: string) => new NeutronError('HTTPBadRequest', message, 400);
export const invalidInput = (errorMessage: string) =>
  new NeutronError('InvalidInput', `Invalid input for operation: ${errorMessage}.`, 400);
export const httpNotFound = (message = 'The resource could not be found.') =>
  new NeutronError('HTTPNotFound', message, 404);
export const methodNotAllowed = (method = 'this method') =>
  new NeutronError('HTTPMethodNotAllowed', `The method ${method} is not allowed for this resource.`, 405);
export const policyNotAuthorized = (message: string) => new NeutronError('PolicyNotAuthorized', message, 403);
export const conflict = <const Code extends string>(type: Code, message: string) => new NeutronError(type, message, 409);
export const notFound = <const Code extends string>(type: Code, message: string) => new NeutronError(type, message, 404);

/** Python's repr of a list of strings, as Neutron puts lists into messages: ['network']. */
export function pyList(items: readonly string[]): string {
  return `[${items.map((i) => `'${i}'`).join(', ')}]`;
}
