import { type DomainError, invalidInput, NeutronError, notFound } from '../../api/errors/neutron-error.js';

/** neutron-lib's exceptions the segments domain and its type drivers raise (the wire `type`), one factory below for each case. */
export const SEGMENT_ERRORS = [
  'NoNetworkAvailable',
  'VlanIdInUse',
  'TunnelIdInUse',
  'FlatNetworkInUse',
  'SegmentsSetInConjunctionWithProviders',
  'SegmentsContainDuplicateEntry',
  'SegmentNotFound',
  'InvalidInput',
] as const;
export type SegmentError = DomainError<typeof SEGMENT_ERRORS>;

export const noNetworkAvailable = (): SegmentError =>
  new NeutronError('NoNetworkAvailable', 'Unable to create the network. No tenant network is available for allocation.', 503);

export const vlanIdInUse = (vlanId: number, physnet: string): SegmentError =>
  new NeutronError('VlanIdInUse', `Unable to create the network. The VLAN ${vlanId} on physical network ${physnet} is in use.`, 409);

export const tunnelIdInUse = (tunnelId: number): SegmentError =>
  new NeutronError('TunnelIdInUse', `Unable to create the network. The tunnel ID ${tunnelId} is in use.`, 409);

export const flatNetworkInUse = (physnet: string): SegmentError =>
  new NeutronError('FlatNetworkInUse', `Unable to create the flat network. Physical network ${physnet} is in use.`, 409);

export const segmentsSetInConjunctionWithProviders = (): SegmentError =>
  new NeutronError('SegmentsSetInConjunctionWithProviders', 'Segments and provider values cannot both be set.', 400);

export const segmentsContainDuplicateEntry = (): SegmentError =>
  new NeutronError('SegmentsContainDuplicateEntry', 'Duplicate segment entry in request.', 400);

export const segmentNotFound = (id: string): SegmentError => notFound('SegmentNotFound', `Segment ${id} could not be found.`);

export const networkTypeRequired = (): SegmentError => invalidInput('network_type required');
export const networkTypeNotSupported = (type: string): SegmentError => invalidInput(`network_type value '${type}' not supported`);
export const physicalNetworkNotAString = (value: unknown): SegmentError => invalidInput(`'${String(value)}' is not a valid string`);

// The type drivers' validate_provider_segment.
export const segmentationIdOutOfRange = (range: readonly [number, number]): SegmentError =>
  invalidInput(`segmentation_id out of range (${range[0]} through ${range[1]})`);
export const physicalNetworkForTunnel = (type: string): SegmentError => invalidInput(`provider:physical_network specified for ${type} network`);
export const unknownPhysicalNetwork = (physnet: string, kind: 'VLAN' | 'flat'): SegmentError =>
  invalidInput(`physical_network '${physnet}' unknown for ${kind} provider network`);
export const vlanSegmentationIdWithoutPhysnet = (): SegmentError =>
  invalidInput('segmentation_id requires physical_network for VLAN provider network');
export const flatPhysnetRequired = (): SegmentError => invalidInput('physical_network required for flat provider network');
export const flatNetworksDisabled = (): SegmentError => invalidInput('Flat provider networks are disabled');
export const flatSegmentationIdProhibited = (): SegmentError => invalidInput('segmentation_id prohibited for flat provider network');

// Ml2Plugin's provider network update rules.
export const providerTypeOrPhysnetUpdate = (): SegmentError =>
  invalidInput('Plugin does not support updating the following provider network attributes: provider:network_type, provider:physical_network');
export const providerUpdateMultipleSegments = (): SegmentError =>
  invalidInput('Provider network attributes can be updated only in provider networks with a single segment.');
export const providerUpdateWithBoundPorts = (vifTypes: readonly string[]): SegmentError =>
  invalidInput(
    `Provider network attribute provider:segmentation_id cannot be updated if any port in the network has not the following binding:vif_type: ${vifTypes.join(', ')}`,
  );
export const providerUpdateNotVlan = (): SegmentError => invalidInput('Only VLAN type networks can be updated.');
