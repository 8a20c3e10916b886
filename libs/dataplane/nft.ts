/** nftables inside a namespace: a transaction loaded with `nft -f -` (all of it or nothing), and JSON commands. */
import { existsSync } from 'node:fs';
import { execInNamespace } from './netns.js';
import type { Namespace } from './ip.js';

export const NFT_BINARY = ['/usr/sbin/nft', '/sbin/nft'].find((p) => existsSync(p)) ?? 'nft';

/** Runs `nft -f -` with `input` in the namespace: one atomic transaction. */
export async function nftApply(namespace: Namespace, input: string): Promise<void> {
  await execInNamespace(namespace, NFT_BINARY, ['-f', '-'], { input });
}

/** `nft -j <args…>` in the namespace; its JSON output as text. */
export async function nftJson(namespace: Namespace, args: readonly string[]): Promise<string> {
  const { stdout } = await execInNamespace(namespace, NFT_BINARY, ['-j', ...args]);
  return stdout;
}
