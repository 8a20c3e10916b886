import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
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
 * The cache file is `<script>.cache`: one line of JSON (the script's size and mtime, the payload's sha256), then
 * V8's payload. Any doubt and the script is compiled from its source, as without a cache: the file missing or
 * unreadable, the script changed since (size or mtime, as Python checks its .pyc), the payload not what was written
 * (V8 checks only its own version, flags and the source's length, and would run damaged bytecode), or V8 rejecting
 * it (another Node or other V8 flags: the cache is written under those of `npm start`).
 */

export type CodeCacheStatus = 'used' | 'missing' | 'stale' | 'corrupt' | 'rejected';

interface CacheHeader {
  size: number;
  mtimeMs: number;
  sha256: string;
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
  const source = readFileSync(file, 'latin1');
  const { cachedData, status } = readCache(file);
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
  const { size, mtimeMs } = statSync(file);
  const header: CacheHeader = { size, mtimeMs, sha256: sha256(payload) };
  const target = cacheFileOf(file);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), payload]));
  renameSync(temporary, target);
  return payload.length;
}

function readCache(file: string): { cachedData?: Buffer; status: CodeCacheStatus } {
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
  const { size, mtimeMs } = statSync(file);
  if (header.size !== size || header.mtimeMs !== mtimeMs) return { status: 'stale' };
  const cachedData = data.subarray(newline + 1);
  if (header.sha256 !== sha256(cachedData)) return { status: 'corrupt' };
  return { cachedData, status: 'used' };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
