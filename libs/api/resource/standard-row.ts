import { randomUUID } from 'node:crypto';
import { neutronTimestamp } from '../../db/index.js';
import type { ApiObject } from './resource-definition.js';

/** Columns every standard-attribute resource row has (§1.8). */
export interface StandardColumns {
  id: string;
  project_id: string;
  description: string;
  created_at: string;
  updated_at: string;
  revision_number: number;
}

export function newStandardColumns(item: ApiObject): StandardColumns {
  const now = neutronTimestamp();
  return {
    id: randomUUID(),
    project_id: String(item.project_id ?? ''),
    description: String(item.description ?? ''),
    created_at: now,
    updated_at: now,
    revision_number: 1,
  };
}

/** An update: the changed columns plus the next revision and a fresh updated_at. */
/** The standard columns' names, for hand-written column lists (in StandardColumns' order). */
export const STANDARD_COLUMN_NAMES = ['id', 'project_id', 'description', 'created_at', 'updated_at', 'revision_number'] as const;

/** The standard columns of a row as a hand-written SELECT returns it (either driver). */
export function standardColumnsFromSql(raw: Record<string, unknown>): StandardColumns {
  return {
    id: raw.id as string,
    project_id: raw.project_id as string,
    description: raw.description as string,
    created_at: raw.created_at as string,
    updated_at: raw.updated_at as string,
    revision_number: Number(raw.revision_number),
  };
}

export function revised<T extends StandardColumns>(row: T, changes: Partial<T>): T {
  return { ...row, ...changes, revision_number: row.revision_number + 1, updated_at: neutronTimestamp() };
}

/** Standard attributes as the API shows them. */
export function presentStandard(row: StandardColumns, tags: string[] | undefined): ApiObject {
  return {
    id: row.id,
    project_id: row.project_id,
    tenant_id: row.project_id,
    description: row.description,
    created_at: row.created_at,
    updated_at: row.updated_at,
    revision_number: row.revision_number,
    ...(tags ? { tags } : {}),
  };
}

/** The standard columns in an EntitySchema (`columns: { ...standardEntityColumns, name: … }`). */
export const standardEntityColumns = {
  id: { type: 'varchar', length: 36, primary: true },
  project_id: { type: 'varchar', length: 255 },
  description: { type: 'varchar', length: 255 },
  created_at: { type: 'varchar', length: 20 },
  updated_at: { type: 'varchar', length: 20 },
  revision_number: { type: 'integer' },
} as const;
