import { type AttributeMap, type AttributeSpec, NOT_SPECIFIED, standardAttributes } from '../../api/resource/attribute.js';
import type { ResourceDefinition, ResourceService } from '../../api/resource/resource-definition.js';
import { convertToInt, validateString, validateStringOrNone, validateUuid } from '../../api/validators/index.js';
import { segmentNotFound } from './segment.errors.js';

const hiddenProject: AttributeSpec = { allowPost: true, allowPut: false, validate: [validateString(255)], isVisible: false };

/** segments (neutron-lib segment) with standard attributes (standard-attr-segment); no tags. */
export const segmentAttributes: AttributeMap = {
  id: { allowPost: false, allowPut: false, validate: [validateUuid()], isFilter: true, isSortKey: true },
  tenant_id: hiddenProject,
  project_id: hiddenProject,
  network_id: { allowPost: true, allowPut: false, validate: [validateUuid()], isFilter: true, isSortKey: true },
  physical_network: { allowPost: true, allowPut: false, default: NOT_SPECIFIED, validate: [validateString(64)], isFilter: true, isSortKey: true },
  network_type: { allowPost: true, allowPut: false, validate: [validateString(32)], isFilter: true, isSortKey: true },
  // Not a filter in Neutron either (its attribute map has no is_filter for it).
  segmentation_id: { allowPost: true, allowPut: false, default: NOT_SPECIFIED, convert: convertToInt, isSortKey: true },
  name: { allowPost: true, allowPut: true, default: NOT_SPECIFIED, validate: [validateStringOrNone(255)], isFilter: true, isSortKey: true },
  ...withoutTags(standardAttributes()),
};

function withoutTags(map: AttributeMap): AttributeMap {
  const { tags: _tags, ...rest } = map;
  return rest;
}

export function segmentDefinition(service: ResourceService): ResourceDefinition {
  return {
    name: 'segment',
    collection: 'segments',
    path: 'segments',
    attributes: segmentAttributes,
    service,
    notFound: segmentNotFound,
  };
}
