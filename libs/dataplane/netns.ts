/** Network namespaces (`ip netns`), and running a program inside one. */
import { IP_BINARY, failureKind, runCommand, type CommandResult, type RunOptions } from './command.js';
import { ip, ipJson, type Namespace } from './ip.js';
import { assertNamespaceName } from './names.js';

export async function listNamespaces(): Promise<string[]> {
  const rows = await ipJson<{ name: string }>('', ['netns', 'list']);
  return rows.map((r) => r.name);
}

export async function namespaceExists(name: string): Promise<boolean> {
  assertNamespaceName(name);
  return (await listNamespaces()).includes(name);
}

export async function addNamespace(name: string): Promise<void> {
  await ip('', ['netns', 'add', assertNamespaceName(name)]);
}

/** Creates the namespace unless it exists (a concurrent creator is fine); brings its loopback up. true: created. */
export async function ensureNamespace(name: string): Promise<boolean> {
  let created = false;
  if (!(await namespaceExists(name))) {
    try {
      await addNamespace(name);
      created = true;
    } catch (err) {
      if (failureKind(err) !== 'exists' && !(await namespaceExists(name))) throw err;
    }
  }
  await ip(name, ['link', 'set', 'dev', 'lo', 'up']);
  return created;
}

/** Deletes the namespace (its virtual devices go with it; a veth's peer elsewhere too). Absent: nothing to do. */
export async function deleteNamespace(name: string): Promise<void> {
  assertNamespaceName(name);
  try {
    await ip('', ['netns', 'delete', name]);
  } catch (err) {
    if (await namespaceExists(name)) throw err;
  }
}

/** `ip netns exec <ns> <file> <args…>`; namespace '' runs the program here. */
export async function execInNamespace(
  namespace: Namespace,
  file: string,
  args: readonly string[],
  opts?: RunOptions,
): Promise<CommandResult> {
  if (namespace === '') return runCommand(file, args, opts);
  return runCommand(IP_BINARY, ['netns', 'exec', assertNamespaceName(namespace), file, ...args], opts);
}

/** The argv that runs a program inside a namespace, for a long-lived process (see ProcessSupervisor). */
export function namespaceCommand(namespace: Namespace, file: string, args: readonly string[]): [string, string[]] {
  if (namespace === '') return [file, [...args]];
  return [IP_BINARY, ['netns', 'exec', assertNamespaceName(namespace), file, ...args]];
}
