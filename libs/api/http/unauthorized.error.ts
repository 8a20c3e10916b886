/** keystonemiddleware's 401: Keystone's error body and a WWW-Authenticate header naming the identity endpoint. */
export class UnauthorizedError extends Error {
  constructor(readonly keystoneUrl: string) {
    super('The request you have made requires authentication.');
  }
}
