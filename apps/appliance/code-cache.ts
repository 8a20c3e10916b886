import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';

/**
 * The appliance as one classic (CommonJS) script compiled with a V8 code cache. Node 20 has no code cache for ES
 * modules (`module.enableCompileCache` comes with 22.1), and compiling the ~5 MB bundle, then each function it runs
 * at start, is about a third of the start. `npm run build` starts the bundle once and writes, after its first
 * authenticated request, the bytecode of every function compiled by then (`script.createCachedData()`): the next
 * start deserializes it instead of parsing.
 *
 * The cache file is `<script>.cache`: one line of JSON (the sha256 of the script and of the payload), then V8's
 * payload. Any doubt and the script is compiled from its source, as without a cache: the file missing or unreadable,
 * the script changed since, the payload not what was written (V8 itself checks only its version, its flags and the
 * source's length: it would run another script's bytecode, or damaged bytecode), or V8 rejecting it (another Node,
 * other V8 flags: the build writes it under those of `npm start`). The two hashes cost ~5 ms of the start; a script's
 * size and mtime would be cheaper, but a copy that does not keep mtimes (`cp -r dist`) would lose the cache.
 */

export type CodeCacheStatus = 'used' | 'missing' | 'stale' | 'corrupt' | 'rejected';

interface CacheHeader {
  /** sha256 of the script's source (as compiled, without Node's CommonJS wrapper). */
  source: string;
  /** sha256 of V8's payload. */
  payload: string;
}

export interface ClassicScript {
  script: vm.Script;
  /** What became of the cache. */
  cache: CodeCacheStatus;
  /** Runs the script as Node runs a CommonJS module: its own require, module, __filename, __dirname. */
  run(): void;
}

export const cacheFileOf = (file: string) => `${file}.cache`;

/** Compiles `file` (a CommonJS script, Latin-1 text) with its code cache when that is sound. */
export function compileClassicScript(file: string): ClassicScript {
  const text = readFileSync(file);
  const { cachedData, status } = readCache(file, text);
  const source = text.toString('latin1');
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    // import() in the script (optional packages, resolved from beside it) goes to Node's loader, as in a module.
    importModuleDynamically: ((specifier: string) => import(specifier)) as vm.ScriptOptions['importModuleDynamically'],
  });
  const cache = status === 'used' && script.cachedDataRejected ? 'rejected' : status;
  return {
    script,
    cache,
    run() {
      const fn = script.runInThisContext() as (...args: unknown[]) => void;
      const module = { exports: {} };
      fn.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
    },
  };
}

/** Writes the cache of a script compiled by compileClassicScript (atomically: a reader sees the old file or the new). */
export function writeCodeCache(compiled: ClassicScript, file: string): number {
  const payload = compiled.script.createCachedData();
  const header: CacheHeader = { source: sha256(readFileSync(file)), payload: sha256(payload) };
  const target = cacheFileOf(file);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), payload]));
  renameSync(temporary, target);
  return payload.length;
}

function readCache(file: string, source: Buffer): { cachedData?: Buffer; status: CodeCacheStatus } {
  let data: Buffer;
  try {
    data = readFileSync(cacheFileOf(file));
  } catch {
    return { status: 'missing' };
  }
  const newline = data.indexOf(10);
  if (newline < 0) return { status: 'corrupt' };
  let header: Partial<CacheHeader>;
  try {
    header = JSON.parse(data.subarray(0, newline).toString('latin1')) as Partial<CacheHeader>;
  } catch {
    return { status: 'corrupt' };
  }
  if (header.source !== sha256(source)) return { status: 'stale' };
  const cachedData = data.subarray(newline + 1);
  if (header.payload !== sha256(cachedData)) return { status: 'corrupt' };
  return { cachedData, status: 'used' };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
