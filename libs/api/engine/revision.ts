import { NeutronError } from '../errors/neutron-error.js';
import type { ApiObject } from '../resource/resource-definition.js';

const ifMatchError = (msg: string) => new NeutronError('BadRequest', `Bad if-match request: ${msg}.`, 400);

/** `If-Match: revision_number=N` (other etags such as `*` are ignored, as in Neutron). */
export function parseIfMatch(headers: Record<string, string | string[] | undefined>): number | undefined {
  const raw = headers['if-match'];
  if (!raw) return undefined;
  const etags = (Array.isArray(raw) ? raw.join(',') : raw)
    .split(',')
    .map((e) => e.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1'));
  let revision: number | undefined;
  for (const etag of etags) {
    if (!etag.startsWith('revision_number=')) continue;
    if (revision !== undefined) throw ifMatchError('Multiple revision_number etags are not supported.');
    const value = etag.slice('revision_number='.length);
    if (!/^\s*[+-]?\d+\s*$/.test(value)) throw ifMatchError('Revision number etag must be in the format of revision_number=<int>');
    revision = Number(value);
  }
  return revision;
}

export function checkRevision(current: ApiObject, expected: number | undefined): void {
  if (expected === undefined || current.revision_number === expected) return;
  throw new NeutronError(
    'RevisionNumberConstraintFailed',
    `Constrained to ${expected}, but current revision is ${String(current.revision_number)}`,
    412,
  );
}
