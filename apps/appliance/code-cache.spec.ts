import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheFileOf, compileClassicScript, writeCodeCache } from './code-cache.js';

/** A CommonJS script that says what it is and where it runs (require, __filename), and a lazily compiled function. */
const script = (answer: string) => `
const { basename } = require('node:path');
function lazily() { return ${JSON.stringify(answer)}; }
globalThis.codeCacheSpec = basename(__filename) + ': ' + lazily();
module.exports = 'unused';
`;

describe('a classic script with its V8 code cache', () => {
  let dir: string;
  let file: string;
  let runs = 0;
  /**
   * Compiles and runs a copy of the script and its cache: V8 keeps what this process compiled (by source and file
   * name) and would not even read the cache of a script it has seen, as a new process would.
   */
  const run = () => {
    const copy = join(dir, `run-${++runs}`, 'app.cjs');
    mkdirSync(dirname(copy));
    copyFileSync(file, copy);
    if (existsSync(cacheFileOf(file))) copyFileSync(cacheFileOf(file), cacheFileOf(copy));
    const compiled = compileClassicScript(copy);
    compiled.run();
    return { compiled, said: (globalThis as { codeCacheSpec?: string }).codeCacheSpec };
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'code-cache-spec-'));
    file = join(dir, 'app.cjs');
    writeFileSync(file, script('first'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    delete (globalThis as { codeCacheSpec?: string }).codeCacheSpec;
  });

  it('runs from its source when there is no cache, and from the cache once written', () => {
    const first = run();
    expect([first.compiled.cache, first.said]).toEqual(['missing', 'app.cjs: first']);
    expect(writeCodeCache(first.compiled, file)).toBeGreaterThan(0);
    const second = run();
    expect([second.compiled.cache, second.said]).toEqual(['used', 'app.cjs: first']);
  });

  it('runs the new source, not the cached bytecode, when the script changed (even to the same length)', () => {
    writeCodeCache(run().compiled, file);
    writeFileSync(file, script('other'));
    const after = run();
    expect([after.compiled.cache, after.said]).toEqual(['stale', 'app.cjs: other']);
  });

  it.each([
    ['a damaged payload', (cache: Buffer) => cache.map((byte, i) => (i === cache.length - 100 ? byte ^ 0xff : byte))],
    ['a cut file', (cache: Buffer) => cache.subarray(0, cache.length / 2)],
    ['an unreadable header', (cache: Buffer) => Buffer.concat([Buffer.from('not json\n'), cache])],
    ['no header at all', () => Buffer.from('x'.repeat(100))],
  ])('falls back to the source on %s', (_, damage) => {
    writeCodeCache(run().compiled, file);
    writeFileSync(cacheFileOf(file), damage(readFileSync(cacheFileOf(file))));
    const after = run();
    expect([after.compiled.cache, after.said]).toEqual(['corrupt', 'app.cjs: first']);
  });

  it('falls back to the source when V8 rejects a cache (written by another V8 or under other flags)', () => {
    // A payload V8 did not write: sound by our hashes, refused by V8's own checks.
    const first = run();
    writeCodeCache(first.compiled, file);
    const cache = readFileSync(cacheFileOf(file));
    const newline = cache.indexOf(10);
    const header = JSON.parse(cache.subarray(0, newline).toString()) as { source: string; payload: string };
    const foreign = Buffer.alloc(cache.length - newline - 1, 7);
    header.payload = createHash('sha256').update(foreign).digest('hex');
    writeFileSync(cacheFileOf(file), Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), foreign]));
    const after = run();
    expect([after.compiled.cache, after.said]).toEqual(['rejected', 'app.cjs: first']);
  });
});
