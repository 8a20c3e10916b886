import { describe, expect, it } from 'vitest';
import { NeutronError } from '../errors/neutron-error.js';
import { type AttributeMap, NOT_SPECIFIED } from '../resource/attribute.js';
import { MalformedValue } from '../validators/index.js';
import { parseJsonBody, prepareRequestBody } from './body-parser.js';

const toBool = (v: unknown) => {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new NeutronError('InvalidInput', `Invalid input for operation: '${String(v)}' cannot be converted to boolean.`, 400);
};
const attrs: AttributeMap = {
  id: { allowPost: false, allowPut: false },
  name: { allowPost: true, allowPut: true, default: '', validate: [(v) => (typeof v === 'string' && v.length <= 5 ? undefined : `'${String(v)}' exceeds maximum length of 5`)] },
  network_id: { allowPost: true, allowPut: false },
  up: { allowPost: true, allowPut: true, default: true, convert: toBool },
  mtu: { allowPost: true, allowPut: true, default: NOT_SPECIFIED },
  tenant_id: { allowPost: true, allowPut: false },
  project_id: { allowPost: true, allowPut: false },
};
const caller = { projectId: 'p1', isAdmin: false };
const opts = (over: Partial<Parameters<typeof prepareRequestBody>[1]> = {}) => ({
  resource: 'thing',
  collection: 'things',
  attributes: attrs,
  isCreate: true,
  allowBulk: true,
  caller,
  ...over,
});

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof NeutronError) return `${e.status} ${e.type}: ${e.message}`;
    throw e;
  }
  throw new Error('expected a NeutronError');
}

describe('parseJsonBody', () => {
  it('refuses text that is not a JSON object', () => {
    for (const raw of ['{', '[1]', '"x"', '12', 'null']) {
      expect(message(() => parseJsonBody(raw))).toBe('400 HTTPBadRequest: Body contains invalid data');
    }
  });

  it('treats an empty body as absent', () => {
    expect(parseJsonBody('  ')).toBeUndefined();
  });
});

describe('prepareRequestBody', () => {
  it('fills defaults, converts, sets the caller project and leaves NOT_SPECIFIED out', () => {
    const [item] = prepareRequestBody({ thing: { network_id: 'n', up: 'false' } }, opts());
    expect(item).toEqual({ network_id: 'n', up: false, name: '', project_id: 'p1', tenant_id: 'p1' });
    expect('mtu' in item).toBe(false);
  });

  it('answers each malformed envelope as Neutron does', () => {
    expect(message(() => prepareRequestBody(undefined, opts()))).toBe('400 HTTPBadRequest: Resource body required');
    expect(message(() => prepareRequestBody({ other: {} }, opts()))).toBe("400 HTTPBadRequest: Unable to find 'thing' in request body");
    expect(message(() => prepareRequestBody({ thing: 5 }, opts()))).toBe("400 HTTPBadRequest: Object 'thing' contains invalid data");
    expect(message(() => prepareRequestBody({ things: [] }, opts()))).toBe('400 HTTPBadRequest: Resources required');
    expect(message(() => prepareRequestBody({ things: [{}] }, opts({ isCreate: false })))).toBe('400 HTTPBadRequest: Bulk operation not supported');
  });

  it('names unknown, read-only and missing attributes', () => {
    expect(message(() => prepareRequestBody({ thing: { network_id: 'n', foo: 1 } }, opts()))).toBe("400 HTTPBadRequest: Unrecognized attribute(s) 'foo'");
    expect(message(() => prepareRequestBody({ thing: { network_id: 'n', id: 'x' } }, opts()))).toBe("400 HTTPBadRequest: Attribute 'id' not allowed in POST");
    expect(message(() => prepareRequestBody({ thing: { network_id: 'x' } }, opts({ isCreate: false })))).toBe(
      '400 HTTPBadRequest: Cannot update read-only attribute network_id',
    );
    expect(message(() => prepareRequestBody({ thing: {} }, opts()))).toBe(
      "400 HTTPBadRequest: Failed to parse request. Required attribute 'network_id' not specified",
    );
  });

  it('wraps validator reasons and lets converter errors through', () => {
    expect(message(() => prepareRequestBody({ thing: { network_id: 'n', name: 'toolong' } }, opts()))).toBe(
      "400 HTTPBadRequest: Invalid input for name. Reason: 'toolong' exceeds maximum length of 5.",
    );
    expect(message(() => prepareRequestBody({ thing: { network_id: 'n', up: 'maybe' } }, opts()))).toBe(
      "400 InvalidInput: Invalid input for operation: 'maybe' cannot be converted to boolean.",
    );
  });

  it('names the attribute where Neutron would crash on a malformed value', () => {
    const crashing: AttributeMap = { ...attrs, cidr: { allowPost: true, allowPut: true, default: NOT_SPECIFIED, convert: () => { throw new MalformedValue(); } } };
    expect(message(() => prepareRequestBody({ thing: { network_id: 'n', cidr: null } }, opts({ attributes: crashing })))).toBe(
      '400 HTTPBadRequest: Invalid input for cidr. Reason: the value has the wrong type or form.',
    );
  });

  it('guards project ownership', () => {
    expect(message(() => prepareRequestBody({ thing: { network_id: 'n', project_id: 'a', tenant_id: 'b' } }, opts({ caller: { projectId: 'a', isAdmin: true } })))).toBe(
      "400 HTTPBadRequest: 'project_id' and 'tenant_id' do not match",
    );
    expect(message(() => prepareRequestBody({ thing: { network_id: 'n', tenant_id: 'other' } }, opts()))).toBe(
      "400 HTTPBadRequest: Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin or advsvc privileges",
    );
    const [item] = prepareRequestBody({ thing: { network_id: 'n', tenant_id: 'other' } }, opts({ caller: { projectId: 'p1', isAdmin: true } }));
    expect(item.project_id).toBe('other');
  });

  it('accepts bulk items with or without their own envelope, all parsed', () => {
    const items = prepareRequestBody({ things: [{ network_id: 'a' }, { thing: { network_id: 'b' } }] }, opts());
    expect(items.map((i) => i.network_id)).toEqual(['a', 'b']);
    expect(message(() => prepareRequestBody({ things: [{ network_id: 'a' }, { foo: 1 }] }, opts()))).toBe(
      "400 HTTPBadRequest: Unrecognized attribute(s) 'foo'",
    );
  });
});
