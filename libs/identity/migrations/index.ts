import { Identity1764000000000 } from './1764000000000-identity.js';
import { IdentityGroupsAppCreds1764000020000 } from './1764000020000-identity-groups-app-creds.js';

export { Identity1764000000000, IdentityGroupsAppCreds1764000020000 };
export const identityMigrations = [Identity1764000000000, IdentityGroupsAppCreds1764000020000];
