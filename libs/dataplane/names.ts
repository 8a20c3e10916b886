/**
 * Names that reach `ip` as arguments. execFile already keeps them from being shell syntax; these checks keep them
 * from being read as `ip` options (`-force`), path tricks in /run/netns (`..`), or names the kernel refuses.
 */

/** IFNAMSIZ - 1 */
export const INTERFACE_NAME_MAX = 15;
const INTERFACE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const NAMESPACE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const NAMESPACE_NAME_MAX = 200;

export class InvalidNameError extends Error {
  constructor(kind: string, name: string, why: string) {
    super(`invalid ${kind} name ${JSON.stringify(name)}: ${why}`);
    this.name = 'InvalidNameError';
  }
}

export function assertInterfaceName(name: string): string {
  if (name.length === 0 || name.length > INTERFACE_NAME_MAX) {
    throw new InvalidNameError('interface', name, `must be 1 to ${INTERFACE_NAME_MAX} characters`);
  }
  if (!INTERFACE_NAME.test(name)) {
    throw new InvalidNameError('interface', name, 'letters, digits, _ . - only, not starting with . or -');
  }
  return name;
}

/** '' is not a namespace name: callers use it for "the current (root) namespace" and never pass it here. */
export function assertNamespaceName(name: string): string {
  if (name.length === 0 || name.length > NAMESPACE_NAME_MAX) {
    throw new InvalidNameError('namespace', name, `must be 1 to ${NAMESPACE_NAME_MAX} characters`);
  }
  if (!NAMESPACE_NAME.test(name)) {
    throw new InvalidNameError('namespace', name, 'letters, digits, _ . - only, not starting with . or -');
  }
  return name;
}
