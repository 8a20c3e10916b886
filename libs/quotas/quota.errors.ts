import { badRequest, type DomainError, NeutronError, pyList } from '../api/errors/neutron-error.js';

/** The exceptions the quotas domain raises (the wire `type`), one factory below for each, with Neutron's texts. */
export const QUOTA_ERRORS = ['OverQuota', 'TenantQuotaNotFound', 'AdminRequired', 'HTTPNotImplemented', 'HTTPBadRequest'] as const;
export type QuotaError = DomainError<typeof QUOTA_ERRORS>;

export const overQuota = (resource: string): QuotaError =>
  new NeutronError('OverQuota', `Quota exceeded for resources: ${pyList([resource])}.`, 409);

export const tenantQuotaNotFound = (projectId: string): QuotaError =>
  new NeutronError('TenantQuotaNotFound', `Quota for tenant ${projectId} could not be found.`, 404);

export const adminRequiredForOtherProject = (): QuotaError =>
  new NeutronError('AdminRequired', 'User does not have admin privileges: Only admin is authorized to access quotas for another project.', 403);

export const quotasPostNotSupported = (): QuotaError =>
  new NeutronError('HTTPNotImplemented', 'POST requests are not supported on this resource.', 501);

export const quotaBelowUsage = (resource: string, limit: number, used: number): QuotaError =>
  badRequest(`Quota limit ${limit} for ${resource} must be greater than or equal to already used ${used}`);
