/**
 * A domain error with Neutron's exception class name (`type`), message and HTTP code.
 * Services throw these; one filter renders them as {"NeutronError": {type, message, detail}}.
 */
export class NeutronError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
    readonly detail = '',
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new NeutronError('HTTPBadRequest', message, 400);
export const invalidInput = (errorMessage: string) =>
  new NeutronError('InvalidInput', `Invalid input for operation: ${errorMessage}.`, 400);
export const httpNotFound = (message = 'The resource could not be found.') =>
  new NeutronError('HTTPNotFound', message, 404);
export const methodNotAllowed = (method = 'this method') =>
  new NeutronError('HTTPMethodNotAllowed', `The method ${method} is not allowed for this resource.`, 405);
export const policyNotAuthorized = (message: string) => new NeutronError('PolicyNotAuthorized', message, 403);
export const conflict = (type: string, message: string) => new NeutronError(type, message, 409);
export const notFound = (type: string, message: string) => new NeutronError(type, message, 404);

/** Python's repr of a list of strings, as Neutron puts lists into messages: ['network']. */
export function pyList(items: readonly string[]): string {
  return `[${items.map((i) => `'${i}'`).join(', ')}]`;
}
