/** The implications keystone-manage bootstrap creates: admin ⇒ member ⇒ reader (transitive). */
const IMPLIES: Readonly<Record<string, readonly string[]>> = { admin: ['member'], member: ['reader'] };

/** The role names implied by the given ones, not including them. */
export function impliedRoleNames(names: Iterable<string>): string[] {
  const seen = new Set(names);
  const out: string[] = [];
  const queue = [...seen];
  while (queue.length) {
    for (const implied of IMPLIES[queue.shift()!] ?? []) {
      if (seen.has(implied)) continue;
      seen.add(implied);
      out.push(implied);
      queue.push(implied);
    }
  }
  return out;
}

/** The prior role whose implication yields `name`, for role_assignments' prior_role link. */
export function priorOf(name: string): string | undefined {
  return Object.keys(IMPLIES).find((prior) => IMPLIES[prior].includes(name));
}
