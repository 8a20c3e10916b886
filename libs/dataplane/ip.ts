import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
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

/**
 * `ip [-n ns] monitor link`: calls `onLine` for every link event line until the returned stop function is called.
 * A watcher that dies (the namespace deleted) is started again after a second, while not stopped.
 */
export function monitorLinks(namespace: Namespace, onLine: (line: string) => void): () => void {
  const prefix = namespace === '' ? [] : ['-n', assertNamespaceName(namespace)];
  let stopped = false;
  let child: ChildProcess | undefined;
  const start = () => {
    if (stopped) return;
    child = spawn(IP_BINARY, [...prefix, 'monitor', 'link'], { stdio: ['ignore', 'pipe', 'ignore'] });
    createInterface({ input: child.stdout! }).on('line', onLine);
    child.once('exit', () => {
      if (!stopped) setTimeout(start, 1000).unref();
    });
  };
  start();
  return () => {
    stopped = true;
    child?.kill();
  };
}
