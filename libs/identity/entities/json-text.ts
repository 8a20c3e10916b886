import type { ValueTransformer } from 'typeorm';

/** JSON kept in a text column: portable across SQLite and PostgreSQL, no dialect JSON types. */
export function jsonText<T>(fallback: T): ValueTransformer {
  return {
    to: (value: T | undefined) => JSON.stringify(value ?? fallback),
    from: (text: string | null) => (text == null || text === '' ? fallback : (JSON.parse(text) as T)),
  };
}

/** A parsed JSON object (shallow type: deep recursive types overwhelm TypeORM's partial-entity types). */
export type JsonObject = Record<string, string | number | boolean | null | object>;

/** JSON kept in a nullable text column: null stays null. */
export function nullableJson(): ValueTransformer {
  return {
    to: (value: unknown) => (value == null ? null : JSON.stringify(value)),
    from: (text: string | null) => (text == null || text === '' ? null : (JSON.parse(text) as unknown)),
  };
}
