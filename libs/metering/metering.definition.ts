import { type AttributeMap, projectAttributes } from '../api/resource/attribute.js';
import type { ResourceDefinition, ResourceService } from '../api/resource/resource-definition.js';
import { convertToBoolean, validateString, validateUuid, validateValues } from '../api/validators/index.js';
import { meteringLabelNotFound, meteringLabelRuleNotFound } from './metering.errors.js';

const id = { allowPost: false, allowPut: false, validate: [validateUuid()], isFilter: true, isSortKey: true };
const prefix = { allowPost: true, allowPut: false, default: null, isFilter: true, isSortKey: true };

/** metering_labels (neutron_lib/api/definitions/metering.py): no standard attributes, nothing updatable. */
export const meteringLabelAttributes: AttributeMap = {
  id,
  name: { allowPost: true, allowPut: false, default: '', validate: [validateString(255)], isFilter: true, isSortKey: true },
  description: { allowPost: true, allowPut: false, default: '', validate: [validateString(1024)], isFilter: true, isSortKey: true },
  ...projectAttributes(),
  shared: { allowPost: true, allowPut: false, default: false, convert: convertToBoolean, isFilter: true, isSortKey: true },
};

// A rule's tenant_id is only for policy on POST: no column, no filter, not in answers (the row has none to show).
const ruleProject: AttributeMap = Object.fromEntries(
  Object.entries(projectAttributes()).map(([name, spec]) => [name, { ...spec, isFilter: false, isSortKey: false }]),
);

/**
 * metering_label_rules with metering_source_and_destination_fields: that extension replaces remote_ip_prefix's
 * spec (no `type:subnet` validator any more, default None), so every prefix is checked by the plug-in instead.
 * Rules carry no project: `tenant_id` is accepted on POST and never shown.
 */
export const meteringLabelRuleAttributes: AttributeMap = {
  id,
  metering_label_id: { allowPost: true, allowPut: false, validate: [validateUuid()], isFilter: true, isSortKey: true },
  direction: { allowPost: true, allowPut: false, validate: [validateValues(['ingress', 'egress'])], isFilter: true, isSortKey: true },
  excluded: { allowPost: true, allowPut: false, default: false, convert: convertToBoolean, isFilter: true, isSortKey: true },
  remote_ip_prefix: prefix,
  ...ruleProject,
  source_ip_prefix: prefix,
  destination_ip_prefix: prefix,
};

export function meteringLabelDefinition(service: ResourceService): ResourceDefinition {
  return {
    name: 'metering_label',
    collection: 'metering_labels',
    path: 'metering/metering-labels',
    attributes: meteringLabelAttributes,
    service,
    notFound: meteringLabelNotFound,
  };
}

export function meteringLabelRuleDefinition(service: ResourceService): ResourceDefinition {
  return {
    name: 'metering_label_rule',
    collection: 'metering_label_rules',
    path: 'metering/metering-label-rules',
    attributes: meteringLabelRuleAttributes,
    service,
    notFound: meteringLabelRuleNotFound,
  };
}
