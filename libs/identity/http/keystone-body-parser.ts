import type { FastifyRequest } from 'fastify';
import { expectingError, validationError } from '../keystone-error.js';
import { isObject } from '../schema-check.js';

/** Deeper than any Keystone body (an auth request is 6 levels); deeper input is refused before JSON.parse. */
export const MAX_JSON_DEPTH = 64;

type Done = (err: Error | null, body?: unknown) => void;

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Keystone's json_body_before_request as a fastify content-type parser for every type ('*', raw string):
 * an empty body is no body; JSON (or no Content-Type) must be a JSON object; any other type with a body is a 400.
 */
export function parseKeystoneBody(req: FastifyRequest, body: string | Buffer, done: Done): void {
  let text: string;
  try {
    text = typeof body === 'string' ? body : UTF8.decode(body);
  } catch {
    // Not UTF-8: refused, not stored with replacement characters.
    return done(expectingError('valid JSON', 'request body'));
  }
  if (text.length === 0) return done(null, undefined);
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== '' && type !== 'application/json' && !/^application\/[^/]+\+json$/.test(type)) {
    return done(expectingError('application/json', 'Content-Type header'));
  }
  if (exceedsDepth(text, MAX_JSON_DEPTH)) return done(expectingError('valid JSON', 'request body'));
  // PostgreSQL cannot store NUL in text columns.
  if (/\\u0000/i.test(text)) return done(validationError('Invalid input: NUL characters are not allowed.'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return done(expectingError('valid JSON', 'request body'));
  }
  if (!isObject(parsed)) return done(expectingError('valid JSON', 'request body'));
  done(null, parsed);
}

/** Nesting depth of JSON text, scanned without recursion (strings skipped). */
export function exceedsDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}
