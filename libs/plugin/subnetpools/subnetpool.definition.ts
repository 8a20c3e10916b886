import { type AttributeMap, NOT_SPECIFIED, projectAttributes, standardAttributes } from '../../api/resource/attribute.js';
import type { ApiObject, RequestContext, ResourceDefinition, ResourceService } from '../../api/resource/resource-definition.js';
import {
  convertToBoolean,
  convertToInt,
  validateNonNegative,
  validateNotEmptyString,
  validateSubnetList,
  validateUuid,
  validateUuidOrNone,
} from '../../api/validators/index.js';
import { subnetPoolNotFound } from './subnetpool.errors.js';

const prefixlen = {
  allowPost: true,
  allowPut: true,
  default: NOT_SPECIFIED,
  convert: convertToInt,
  validate: [validateNonNegative()],
  isFilter: true,
  isSortKey: true,
};

const flag = { allowPost: true, default: false, convert: convertToBoolean, isFilter: true, isSortKey: true };

/** subnetpools (neutron-lib subnetpool, plus address-scope's address_scope_id and the standard attributes). */
export const subnetPoolAttributes: AttributeMap = {
  id: { allowPost: false, allowPut: false, validate: [validateUuid()], isFilter: true, isSortKey: true },
  // neutron-lib sets no length; the 255-character column does (PostgreSQL refused a longer name with a 500).
  name: { allowPost: true, allowPut: true, validate: [validateNotEmptyString(255)], isFilter: true, isSortKey: true },
  tenant_id: projectAttributes().tenant_id,
  prefixes: { allowPost: true, allowPut: true, validate: [validateSubnetList()] },
  default_quota: { ...prefixlen },
  ip_version: { allowPost: false, allowPut: false, isFilter: true, isSortKey: true, convertFilter: convertToInt },
  default_prefixlen: { ...prefixlen },
  min_prefixlen: { ...prefixlen },
  max_prefixlen: { ...prefixlen },
  is_default: { ...flag, allowPut: true, enforcePolicy: true },
  shared: { ...flag, allowPut: false, enforcePolicy: true },
  address_scope_id: {
    allowPost: true,
    allowPut: true,
    default: NOT_SPECIFIED,
    validate: [validateUuidOrNone()],
    isFilter: true,
    isSortKey: true,
  },
  project_id: projectAttributes().project_id,
  ...standardAttributes(),
};

export interface SubnetPoolActions {
  addPrefixes(ctx: RequestContext, current: ApiObject, body: ApiObject | undefined): Promise<unknown>;
  removePrefixes(ctx: RequestContext, current: ApiObject, body: ApiObject | undefined): Promise<unknown>;
}

export function subnetPoolDefinition(service: ResourceService & SubnetPoolActions): ResourceDefinition {
  return {
    name: 'subnetpool',
    collection: 'subnetpools',
    path: 'subnetpools',
    attributes: subnetPoolAttributes,
    service,
    taggable: true,
    quotaResource: 'subnetpool',
    table: 'subnetpools',
    notFound: subnetPoolNotFound,
    memberActions: {
      add_prefixes: (ctx, current, body) => service.addPrefixes(ctx, current, body),
      remove_prefixes: (ctx, current, body) => service.removePrefixes(ctx, current, body),
    },
  };
}
