import type { AttributeMap } from '../../api/resource/attribute.js';
import { NOT_SPECIFIED } from '../../api/resource/attribute.js';
import { validateDictOrNone, validateString, validateStringOrNone, validateValues } from '../../api/validators/index.js';

export const VNIC_TYPES = [
  'normal',
  'direct',
  'macvtap',
  'baremetal',
  'direct-physical',
  'virtio-forwarder',
  'smart-nic',
  'vdpa',
  'accelerator-direct',
  'accelerator-direct-physical',
  'remote-managed',
];

/** neutron-lib's portbindings: the `binding:*` attributes ML2 adds to ports (a fragment, in Neutron's order). */
export const portBindingAttributes: AttributeMap = {
  'binding:vif_type': { allowPost: false, allowPut: false, enforcePolicy: true },
  'binding:vif_details': { allowPost: false, allowPut: false, enforcePolicy: true },
  'binding:vnic_type': { allowPost: true, allowPut: true, default: 'normal', validate: [validateValues(VNIC_TYPES)], enforcePolicy: true },
  // neutron-lib gives no validator (a list or an object would reach the 255-character column); refuse them as text.
  'binding:host_id': {
    allowPost: true,
    allowPut: true,
    default: NOT_SPECIFIED,
    validate: [validateStringOrNone(255)],
    enforcePolicy: true,
    isFilter: true,
  },
  'binding:profile': { allowPost: true, allowPut: true, default: NOT_SPECIFIED, validate: [validateDictOrNone()], enforcePolicy: true },
};

/** neutron-lib's portbindings_extended sub-resource map: what `/ports/{id}/bindings` accepts, filters and shows. */
export const bindingAttributes: AttributeMap = {
  host: { allowPost: true, allowPut: false, validate: [validateString(255)], isFilter: true },
  vif_type: { allowPost: false, allowPut: false, isFilter: true },
  vif_details: { allowPost: false, allowPut: false },
  vnic_type: { allowPost: true, allowPut: true, default: 'normal', validate: [validateValues(VNIC_TYPES)], isFilter: true },
  profile: { allowPost: true, allowPut: true, default: NOT_SPECIFIED, validate: [validateDictOrNone()] },
  status: { allowPost: false, allowPut: false, isFilter: true },
};
