import { describe, expect, it } from 'vitest';
import { NeutronError } from '../errors/neutron-error.js';
import { checkRevision, parseIfMatch } from './revision.js';

describe('If-Match revision constraints', () => {
  it('reads revision_number etags and ignores the others', () => {
    expect(parseIfMatch({ 'if-match': 'revision_number=4' })).toBe(4);
    expect(parseIfMatch({ 'if-match': '"revision_number=4"' })).toBe(4);
    expect(parseIfMatch({ 'if-match': '*' })).toBeUndefined();
    expect(parseIfMatch({})).toBeUndefined();
  });

  it('refuses two revision etags and non-integers', () => {
    expect(() => parseIfMatch({ 'if-match': 'revision_number=1, revision_number=2' })).toThrow(
      'Bad if-match request: Multiple revision_number etags are not supported..',
    );
    expect(() => parseIfMatch({ 'if-match': 'revision_number=x' })).toThrow(
      'Bad if-match request: Revision number etag must be in the format of revision_number=<int>.',
    );
  });

  it('fails with 412 when the revision moved', () => {
    expect(() => checkRevision({ revision_number: 3 }, 3)).not.toThrow();
    try {
      checkRevision({ revision_number: 3 }, 2);
      expect.unreachable();
    } catch (e) {
      const err = e as NeutronError;
      expect([err.status, err.type, err.message]).toEqual([412, 'RevisionNumberConstraintFailed', 'Constrained to 2, but current revision is 3']);
    }
  });
});
