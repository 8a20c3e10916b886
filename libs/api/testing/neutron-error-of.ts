import { NeutronError } from '../errors/neutron-error.js';

/** What a caller would see of the NeutronError `p` rejects with; fails the test if it resolves or rejects otherwise. */
export async function neutronErrorOf(p: Promise<unknown>): Promise<{ type: string; status: number; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof NeutronError) return { type: e.type, status: e.status, message: e.message };
    throw e;
  }
  throw new Error('expected a NeutronError');
}
