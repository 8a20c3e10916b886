import { IP_BINARY, runCommand, type CommandResult } from './command.js';
import { assertNamespaceName } from './names.js';

/** '' = the namespace this process runs in (the machine's root namespace for the appliance). */
export type Namespace = string;

/** `ip [-n ns] <args>`: ip switches namespace itself, no `ip netns exec` fork needed. */
export async function ip(namespace: Namespace, args: readonly string[]): Promise<CommandResult> {
  const prefix = namespace === '' ? [] : ['-n', assertNamespaceName(namespace)];
  return runCommand(IP_BINARY, [...prefix, ...args]);
}

/** `ip -json …` parsed; ip prints nothing at all for an empty list. */
export async function ipJson<T>(namespace: Namespace, args: readonly string[]): Promise<T[]> {
  const { stdout } = await ip(namespace, ['-json', ...args]);
  const text = stdout.trim();
  return text === '' ? [] : (JSON.parse(text) as T[]);
}
