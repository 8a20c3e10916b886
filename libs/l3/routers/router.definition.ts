import { type AttributeMap, NOT_SPECIFIED, projectAttributes, standardAttributes } from '../../api/resource/attribute.js';
import type { ResourceDefinition, ResourceService } from '../../api/resource/resource-definition.js';
import {
  convertNoneToEmptyList,
  convertToBoolean,
  validateAvailabilityZoneHintList,
  validateDictOrNodata,
  validateHostroutes,
  validateString,
  validateUuid,
} from '../../api/validators/index.js';
import { ROUTERS_TABLE } from '../l3.entities.js';
import { routerNotFound } from '../l3.errors.js';
import { INTERFACE_ACTION_FIELDS, type RouterActions } from './router-actions.js';

/** external_gateway_info's keys (l3 + l3_ext_gw_mode), in declaration order: policy checks them in this order. */
export const GATEWAY_KEYS = ['network_id', 'enable_snat', 'external_fixed_ips'] as const;

/** routers (neutron-lib l3, l3_ext_gw_mode, extraroute, router_availability_zone), in Neutron's order. */
export const routerAttributes: AttributeMap = {
  id: { allowPost: false, allowPut: false, validate: [validateUuid()], isFilter: true, isSortKey: true },
  name: { allowPost: true, allowPut: true, validate: [validateString(255)], default: '', isFilter: true, isSortKey: true },
  admin_state_up: { allowPost: true, allowPut: true, default: true, convert: convertToBoolean, isFilter: true, isSortKey: true },
  status: { allowPost: false, allowPut: false, isSortKey: true },
  ...projectAttributes(),
  external_gateway_info: {
    allowPost: true,
    allowPut: true,
    default: null,
    enforcePolicy: true,
    validate: [
      validateDictOrNodata({
        network_id: { 'type:uuid': null, required: true },
        enable_snat: { 'type:boolean': null, required: false, convert_to: convertToBoolean },
        external_fixed_ips: { 'type:fixed_ips': null, required: false },
      }),
    ],
  },
  routes: { allowPost: false, allowPut: true, default: NOT_SPECIFIED, convert: convertNoneToEmptyList, validate: [validateHostroutes()] },
  availability_zones: { allowPost: false, allowPut: false },
  availability_zone_hints: { allowPost: true, allowPut: false, default: [], validate: [validateAvailabilityZoneHintList()] },
  flavor_id: { allowPost: false, allowPut: false },
  ...standardAttributes(),
};

export function routerDefinition(service: ResourceService, actions: RouterActions): ResourceDefinition {
  return {
    name: 'router',
    collection: 'routers',
    path: 'routers',
    attributes: routerAttributes,
    service,
    taggable: true,
    quotaResource: 'router',
    table: ROUTERS_TABLE,
    notFound: routerNotFound,
    memberActions: {
      add_router_interface: { run: (ctx, current, body) => actions.addInterface(ctx, current, body), fields: INTERFACE_ACTION_FIELDS },
      remove_router_interface: { run: (ctx, current, body) => actions.removeInterface(ctx, current, body), fields: INTERFACE_ACTION_FIELDS },
      add_extraroutes: (ctx, current, body) => actions.addExtraRoutes(ctx, current, body),
      remove_extraroutes: (ctx, current, body) => actions.removeExtraRoutes(ctx, current, body),
    },
  };
}
