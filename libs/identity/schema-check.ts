import { validationError } from './keystone-error.js';

/** Python's repr of a JSON value, as jsonschema prints it in Keystone's messages. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(path: string, message: string): never {
  throw validationError(path ? `Invalid input for field '${path}': ${message}` : message);
}

export interface StringRule {
  required?: boolean;
  nullable?: boolean;
  min?: number;
  max?: number;
  /** Keystone's names must contain a non-blank character (pattern [\S]+). */
  nonBlank?: boolean;
  /** Keystone's id_string: ^[a-zA-Z0-9-]+$ */
  idString?: boolean;
}

/**
 * Checks one object against a Keystone JSON schema fragment, with jsonschema's messages
 * ("Invalid input for field 'name': 1 is not of type 'string'"). Unknown properties are allowed, as in Keystone.
 */
export class SchemaCheck {
  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly prefix = '',
  ) {}

  static object(value: unknown, path = ''): SchemaCheck {
    if (!isObject(value)) fail(path, `${pyRepr(value)} is not of type 'object'`);
    return new SchemaCheck(value, path);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.obj, key);
  }

  minProperties(n: number): this {
    if (Object.keys(this.obj).length < n) fail(this.prefix, `${pyRepr(this.obj)} does not have enough properties`);
    return this;
  }

  string(key: string, rule: StringRule & { nullable: true }): string | null | undefined;
  string(key: string, rule?: StringRule): string | undefined;
  string(key: string, rule: StringRule = {}): string | null | undefined {
    const path = this.path(key);
    if (!this.has(key)) {
      if (rule.required) fail(this.prefix, `'${key}' is a required property`);
      return undefined;
    }
    const v = this.obj[key];
    if (v === null && rule.nullable) return null;
    if (typeof v !== 'string') fail(path, `${pyRepr(v)} is not of type 'string'${rule.nullable ? ", 'null'" : ''}`);
    if (rule.min !== undefined && [...v].length < rule.min) fail(path, `${pyRepr(v)} is too short`);
    if (rule.max !== undefined && [...v].length > rule.max) fail(path, `${pyRepr(v)} is too long`);
    if (rule.nonBlank && !/\S/.test(v)) fail(path, `${pyRepr(v)} does not match '[\\\\S]+'`);
    if (rule.idString && !/^[a-zA-Z0-9-]+$/.test(v)) fail(path, `${pyRepr(v)} does not match '^[a-zA-Z0-9-]+$'`);
    return v;
  }

  /** The value as sent, unchecked (undefined when absent). */
  raw(key: string): unknown {
    return this.has(key) ? this.obj[key] : undefined;
  }

  boolean(key: string): boolean | undefined {
    if (!this.has(key)) return undefined;
    const v = this.obj[key];
    if (typeof v !== 'boolean') fail(this.path(key), `${pyRepr(v)} is not of type 'boolean'`);
    return v;
  }

  /** A list of tags: unique strings without ',' or '/', at most 80. */
  tags(key: string): string[] | undefined {
    if (!this.has(key)) return undefined;
    const v = this.obj[key];
    const path = this.path(key);
    if (!Array.isArray(v)) fail(path, `${pyRepr(v)} is not of type 'array'`);
    if (v.length > 80) fail(path, `${pyRepr(v)} is too long`);
    for (const tag of v) {
      if (typeof tag !== 'string') fail(path, `${pyRepr(tag)} is not of type 'string'`);
      if (tag.length < 1 || tag.length > 255 || /[,/]/.test(tag)) fail(path, `${pyRepr(tag)} does not match '^[^,/]*$'`);
    }
    if (new Set(v).size !== v.length) fail(path, `${pyRepr(v)} has non-unique elements`);
    return v as string[];
  }

  object(key: string): SchemaCheck | undefined {
    if (!this.has(key)) return undefined;
    return SchemaCheck.object(this.obj[key], this.path(key));
  }

  /** The properties not in `known`, for Keystone's "extra" attributes. */
  extra(known: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.obj)) {
      if (known.includes(k) || k === '__proto__') continue;
      out[k] = v;
    }
    return out;
  }

  private path(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }
}
