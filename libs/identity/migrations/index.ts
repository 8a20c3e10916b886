import { Identity1764000000000 } from './1764000000000-identity.js';

export { Identity1764000000000 };
export const identityMigrations = [Identity1764000000000];
