import type { Converter, Validator } from '../validators/index.js';

/** Neutron's ATTR_NOT_SPECIFIED: "not given, let the plug-in decide", distinct from null. */
export const NOT_SPECIFIED = Symbol('ATTR_NOT_SPECIFIED');

/** One entry of a Neutron attribute map (neutron-lib api/definitions/*.py), in our spelling. */
export interface AttributeSpec {
  allowPost: boolean;
  allowPut: boolean;
  /** Absent with allowPost = required on create. NOT_SPECIFIED = optional, left out of the parsed body. */
  default?: unknown;
  convert?: Converter;
  validate?: Validator[];
  isVisible?: boolean; // default true
  isFilter?: boolean;
  isSortKey?: boolean;
  /** Policy checks `<action>:<attr>` when the attribute is set (and strips it on read when denied). */
  enforcePolicy?: boolean;
  /** Storage column when the attribute is filterable/sortable in SQL; defaults to the attribute name. */
  column?: string;
  /** Converts one query-string value of a filter (default: `convert`, or the raw string). */
  convertFilter?: Converter;
}

export type AttributeMap = Record<string, AttributeSpec>;

/** Standard attributes every standard-attr resource has (§1.8): description, timestamps, revision, tags. */
export function standardAttributes(opts: { description?: boolean } = {}): AttributeMap {
  const map: AttributeMap = {
    created_at: { allowPost: false, allowPut: false },
    updated_at: { allowPost: false, allowPut: false },
    revision_number: { allowPost: false, allowPut: false, isFilter: true, isSortKey: false },
    tags: { allowPost: false, allowPut: false },
  };
  return opts.description === false ? map : { ...map, description: descriptionAttribute };
}

import { validateString } from '../validators/index.js';

const descriptionAttribute: AttributeSpec = {
  allowPost: true,
  allowPut: true,
  default: '',
  validate: [validateString(255)],
  isFilter: true,
  isSortKey: false,
};

/** tenant_id and project_id, as neutron-lib defines them for every owned resource. */
export function projectAttributes(): AttributeMap {
  const spec: AttributeSpec = {
    allowPost: true,
    allowPut: false,
    validate: [validateString(255)],
    isFilter: true,
    isSortKey: true,
    column: 'project_id',
  };
  return { tenant_id: spec, project_id: spec };
}
