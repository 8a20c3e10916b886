import type { AuthContext } from '../identity/auth-context.js';
import type { PolicyCredentials, PolicyEngine } from '../policy/index.js';
import type { Authorizer } from './engine/ports.js';
import type { ApiObject } from './resource/resource-definition.js';

/** The engine's Authorizer over the oslo.policy-style engine. */
export class PolicyAuthorizer implements Authorizer {
  constructor(private readonly policy: PolicyEngine) {}

  authorize(action: string, target: ApiObject, auth: AuthContext, attributes: string[]): string | undefined {
    const result = this.policy.authorize(action, withTenant(target), credentials(auth), { attributes });
    return result.allowed ? undefined : result.message;
  }

  hiddenAttributes(action: string, target: ApiObject, auth: AuthContext, attributes: string[]): string[] {
    return this.policy.filterAttributes(action, withTenant(target), credentials(auth), attributes);
  }
}

function credentials(auth: AuthContext): PolicyCredentials {
  return { user_id: auth.user_id, project_id: auth.project_id, tenant_id: auth.project_id, roles: auth.roles, is_admin: auth.is_admin };
}

function withTenant(target: ApiObject): ApiObject {
  return 'project_id' in target && !('tenant_id' in target) ? { ...target, tenant_id: target.project_id } : target;
}
