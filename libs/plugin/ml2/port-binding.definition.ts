import type { AttributeMap } from '../../api/resource/attribute.js';
import { NOT_SPECIFIED } from '../../api/resource/attribute.js';
import { validateDictOrNone, validateString, validateValues } from '../../api/validators/index.js';
import { VNIC_TYPES } from '../ports/port.definition.js';

/** neutron-lib's portbindings_extended sub-resource map: what `/ports/{id}/bindings` accepts, filters and shows. */
export const bindingAttributes: AttributeMap = {
  host: { allowPost: true, allowPut: false, validate: [validateString(255)], isFilter: true },
  vif_type: { allowPost: false, allowPut: false, isFilter: true },
  vif_details: { allowPost: false, allowPut: false },
  vnic_type: { allowPost: true, allowPut: true, default: 'normal', validate: [validateValues(VNIC_TYPES)], isFilter: true },
  profile: { allowPost: true, allowPut: true, default: NOT_SPECIFIED, validate: [validateDictOrNone()] },
  status: { allowPost: false, allowPut: false, isFilter: true },
};
