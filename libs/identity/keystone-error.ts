/**
 * Keystone's error classes (keystone/exception.py) as one error with a code, a title and the exact message.
 * Services throw these; the HTTP layer renders them as {"error":{"code","title","message"}}.
 */
export class KeystoneError extends Error {
  constructor(
    readonly code: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = 'KeystoneError';
  }

  toBody(): { error: { code: number; title: string; message: string } } {
    return { error: { code: this.code, title: this.title, message: this.message } };
  }
}

const VALIDATION_TAIL =
  ' The server could not comply with the request since it is either malformed or otherwise incorrect.' +
  ' The client is assumed to be in error.';

/** ValidationError: "Expecting to find %(attribute)s in %(target)s. …" */
export function expectingError(attribute: string, target: string): KeystoneError {
  return new KeystoneError(400, 'Bad Request', `Expecting to find ${attribute} in ${target}.${VALIDATION_TAIL}`);
}

/** SchemaValidationError and ValidationError(message): the detail is the whole message. */
export function validationError(detail: string): KeystoneError {
  return new KeystoneError(400, 'Bad Request', detail);
}

export function unauthorized(): KeystoneError {
  // Keystone hides the reason of every Unauthorized unless insecure_debug is on.
  return new KeystoneError(401, 'Unauthorized', 'The request you have made requires authentication.');
}

export function authMethodNotSupported(): KeystoneError {
  return new KeystoneError(401, 'Unauthorized', 'Attempted to authenticate with an unsupported method.');
}

export function forbiddenAction(action: string): KeystoneError {
  return new KeystoneError(403, 'Forbidden', `You are not authorized to perform the requested action: ${action}.`);
}

export function forbidden(): KeystoneError {
  return new KeystoneError(403, 'Forbidden', 'You are not authorized to perform the requested action.');
}

/** ForbiddenNotSecurity: a 403 whose message is always shown. */
export function forbiddenNotSecurity(message: string): KeystoneError {
  return new KeystoneError(403, 'Forbidden', message);
}

export type NotFoundKind = 'project' | 'domain' | 'user' | 'group' | 'role' | 'token' | 'region' | 'service' | 'endpoint';

/** ProjectNotFound & co: "Could not find project: X." */
export function notFound(kind: NotFoundKind, id: string): KeystoneError {
  return new KeystoneError(404, 'Not Found', `Could not find ${kind}: ${id}.`);
}

export function tokenInvalid(): KeystoneError {
  return new KeystoneError(404, 'Not Found', 'Failed to validate token');
}

export function noSubjectToken(): KeystoneError {
  return new KeystoneError(404, 'Not Found', 'No token in the request');
}

export function resourceNotFound(): KeystoneError {
  return new KeystoneError(404, 'Not Found', 'The resource could not be found.');
}

export function assignmentNotFound(roleId: string, actorId: string, targetId: string): KeystoneError {
  return new KeystoneError(
    404,
    'Not Found',
    `Could not find role assignment with role: ${roleId}, user or group: ${actorId}, project, domain, or system: ${targetId}.`,
  );
}

export function notInGroup(userId: string, groupId: string): KeystoneError {
  return new KeystoneError(404, 'Not Found', `User '${userId}' not found in group '${groupId}'`);
}

export function applicationCredentialNotFound(id: string): KeystoneError {
  return new KeystoneError(404, 'Not Found', `Could not find Application Credential: ${id}.`);
}

/** Conflict: "Conflict occurred attempting to store %(type)s - %(details)s." */
function conflictError(type: string, details: string): KeystoneError {
  return new KeystoneError(409, 'Conflict', `Conflict occurred attempting to store ${type} - ${details}.`);
}

/** Users and roles: the detail keystone's sql.handle_conflicts builds from the stored dict. */
export function conflict(type: 'user' | 'role' | 'group' | 'application_credential', name: string, domainId?: string): KeystoneError {
  return conflictError(
    type,
    domainId ? `Duplicate entry found with name ${name} at domain ID ${domainId}` : `Duplicate entry found with name ${name}`,
  );
}

/** Projects: the resource manager rewrites the driver's conflict (resource/core.py). */
export function projectConflict(name: string, id: string): KeystoneError {
  return conflictError(
    'project',
    `it is not permitted to have two projects with either the same name or same id in the same domain: name is ${name}, project id ${id}`,
  );
}

/** Domains are projects acting as domains in Keystone. */
export function domainConflict(name: string): KeystoneError {
  return conflictError('project', `it is not permitted to have two projects acting as domains with the same name: ${name}`);
}

export function methodNotAllowed(): KeystoneError {
  return new KeystoneError(405, 'Method Not Allowed', 'The method is not allowed for the requested URL.');
}

export function requestTooLarge(limit: number): KeystoneError {
  return new KeystoneError(413, 'Request Entity Too Large', `Request is too large. Larger than ${limit}.`);
}

export function unexpectedError(): KeystoneError {
  return new KeystoneError(
    500,
    'Internal Server Error',
    'An unexpected error prevented the server from fulfilling your request.',
  );
}
