import { invalidInput, NeutronError, notFound } from '../../api/errors/neutron-error.js';

export const noNetworkAvailable = () =>
  new NeutronError('NoNetworkAvailable', 'Unable to create the network. No tenant network is available for allocation.', 503);

export const vlanIdInUse = (vlanId: number, physnet: string) =>
  new NeutronError('VlanIdInUse', `Unable to create the network. The VLAN ${vlanId} on physical network ${physnet} is in use.`, 409);

export const tunnelIdInUse = (tunnelId: number) =>
  new NeutronError('TunnelIdInUse', `Unable to create the network. The tunnel ID ${tunnelId} is in use.`, 409);

export const flatNetworkInUse = (physnet: string) =>
  new NeutronError('FlatNetworkInUse', `Unable to create the flat network. Physical network ${physnet} is in use.`, 409);

export const segmentsSetInConjunctionWithProviders = () =>
  new NeutronError('SegmentsSetInConjunctionWithProviders', 'Segments and provider values cannot both be set.', 400);

export const segmentsContainDuplicateEntry = () =>
  new NeutronError('SegmentsContainDuplicateEntry', 'Duplicate segment entry in request.', 400);

export const segmentNotFound = (id: string) => notFound('SegmentNotFound', `Segment ${id} could not be found.`);

export const networkTypeRequired = () => invalidInput('network_type required');
export const networkTypeNotSupported = (type: string) => invalidInput(`network_type value '${type}' not supported`);
