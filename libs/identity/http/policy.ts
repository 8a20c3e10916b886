import { forbiddenAction } from '../keystone-error.js';
import type { ValidToken } from '../services/token.service.js';

/**
 * The few Keystone policy rules this stub enforces: identity administration needs the admin role (any scope, as
 * Keystone's admin_required); a user may read himself and his own projects.
 */
export function isAdmin(caller: ValidToken): boolean {
  return caller.context.is_admin;
}

export function requireAdmin(caller: ValidToken, action: string): void {
  if (!isAdmin(caller)) throw forbiddenAction(`identity:${action}`);
}

export function requireAdminOrSelf(caller: ValidToken, action: string, userId: string): void {
  if (!isAdmin(caller) && caller.row.user_id !== userId) throw forbiddenAction(`identity:${action}`);
}

/** Token validation/revocation: admin, the service role, or the token's own user. */
export function requireTokenAccess(caller: ValidToken, subjectUserId: string, action: string): void {
  if (isAdmin(caller) || caller.context.roles.includes('service') || caller.row.user_id === subjectUserId) return;
  throw forbiddenAction(`identity:${action}`);
}
