/** iptables inside a namespace: a ruleset loaded with `iptables-restore` (one atomic commit per table) and read back. */
import { existsSync } from 'node:fs';
import { execInNamespace } from './netns.js';
import type { Namespace } from './ip.js';

const sbin = (name: string) => [`/usr/sbin/${name}`, `/sbin/${name}`].find((p) => existsSync(p)) ?? name;
export const IPTABLES_RESTORE_BINARY = sbin('iptables-restore');
export const IPTABLES_SAVE_BINARY = sbin('iptables-save');

/**
 * Loads `iptables-restore` input in the namespace. `noflush` (the default) keeps every chain the input does not
 * declare; a declared user chain is emptied and refilled inside its table's commit. `-w` waits for the xtables lock.
 */
export async function iptablesRestore(namespace: Namespace, input: string, opts: { noflush?: boolean } = {}): Promise<void> {
  const args = ['-w', '10'];
  if (opts.noflush !== false) args.push('--noflush');
  await execInNamespace(namespace, IPTABLES_RESTORE_BINARY, args, { input });
}

/** `iptables-save` of the namespace (one table, or all), counters left out. */
export async function iptablesSave(namespace: Namespace, table?: 'filter' | 'nat' | 'mangle' | 'raw'): Promise<string> {
  const { stdout } = await execInNamespace(namespace, IPTABLES_SAVE_BINARY, table ? ['-t', table] : []);
  return stdout;
}
