/**
 * For specs that need root and network namespaces: why they cannot run here (null: they can). Such a spec skips
 * loudly with this reason; it never passes without having run.
 */
import { randomBytes } from 'node:crypto';
import { failureKind } from '../command.js';
import { addVethPair, addVlan } from '../links.js';
import { addNamespace, deleteNamespace, ensureNamespace } from '../netns.js';

let probe: Promise<string | null> | null = null;

export function dataplaneUnavailableReason(): Promise<string | null> {
  probe ??= (async () => {
    if (process.platform !== 'linux') return `not Linux (${process.platform})`;
    if (process.getuid?.() !== 0) return 'not running as root';
    const name = `probe-${randomBytes(4).toString('hex')}`;
    try {
      await addNamespace(name);
    } catch (err) {
      return `ip netns is not usable: ${(err as Error).message}`;
    }
    await deleteNamespace(name);
    return null;
  })();
  return probe;
}

/** Warns on the console (a skipped dataplane spec must be seen) and returns the reason for `describe.skipIf`. */
export async function skipUnlessDataplane(what: string): Promise<string | null> {
  const reason = await dataplaneUnavailableReason();
  if (reason) console.warn(`SKIPPED ${what}: ${reason}. These tests need root and network namespaces.`);
  return reason;
}

/** A namespace name unique to this test run. */
export const testNamespaceName = (label: string) => `t${label}-${process.pid}-${randomBytes(3).toString('hex')}`;

/** Whether this kernel makes 802.1Q VLAN devices (some minimal VM kernels are built without CONFIG_VLAN_8021Q). */
export async function kernelSupportsVlan(): Promise<boolean> {
  if (await dataplaneUnavailableReason()) return false;
  const ns = testNamespaceName('vlanprobe');
  try {
    await ensureNamespace(ns);
    await addVethPair(ns, 'probe0', 'probe1');
    await addVlan(ns, 'probe0.5', 'probe0', 5);
    return true;
  } catch (err) {
    if (failureKind(err) === 'unsupported') return false;
    throw err;
  } finally {
    await deleteNamespace(ns);
  }
}
