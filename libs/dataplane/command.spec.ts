import { describe, expect, it } from 'vitest';
import { CommandError, IP_BINARY, failureKind, runCommand } from './command.js';
import { ip } from './ip.js';
import { addBridge, setLink } from './links.js';
import { assertInterfaceName, assertNamespaceName, InvalidNameError } from './names.js';
import { execInNamespace } from './netns.js';

describe('runCommand', () => {
  it('a failure names the command and carries its stderr', async () => {
    const err = await runCommand(IP_BINARY, ['link', 'show', 'dev', 'nosuchdev0']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    const e = err as CommandError;
    expect(e.command).toEqual([IP_BINARY, 'link', 'show', 'dev', 'nosuchdev0']);
    expect(e.exitCode).toBe(1);
    expect(e.stderr).toMatch(/nosuchdev0/);
    expect(e.message).toContain(`${IP_BINARY} link show dev nosuchdev0`);
    expect(failureKind(e)).toBe('not-found');
  });

  it('passes arguments as they are, never through a shell', async () => {
    const { stdout } = await runCommand('/bin/echo', ['$(id -u); rm -rf /', '`x`']);
    expect(stdout).toBe('$(id -u); rm -rf / `x`\n');
  });

  it('a missing program is an error that says so', async () => {
    const err = (await runCommand('/nonexistent/prog', []).catch((e: unknown) => e)) as CommandError;
    expect(err).toBeInstanceOf(CommandError);
    expect(err.stderr).toMatch(/ENOENT/);
  });
});

describe('names', () => {
  it.each(['tap0123456789a', 'brq0e1f2a3b-4c', 'eth1.101', 'vxlan-16777215', 'a'])('accepts interface %s', (n) => {
    expect(assertInterfaceName(n)).toBe(n);
  });

  it.each(['', 'tap0123456789abc', '-force', '.', '..', 'a b', 'a/b', 'a:b', 'a\nb', 'eth0@x'])('refuses interface %j', (n) => {
    expect(() => assertInterfaceName(n)).toThrow(InvalidNameError);
  });

  it.each(['qdhcp-0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b', 'appliance', 'x_1.2'])('accepts namespace %s', (n) => {
    expect(assertNamespaceName(n)).toBe(n);
  });

  it.each(['', '..', '../etc', 'a/b', '-n', 'a b', 'x'.repeat(201)])('refuses namespace %j', (n) => {
    expect(() => assertNamespaceName(n)).toThrow(InvalidNameError);
  });

  it('a bad name is refused before anything runs', async () => {
    await expect(ip('../x', ['link', 'show'])).rejects.toThrow(InvalidNameError);
    await expect(execInNamespace('a/b', 'true', [])).rejects.toThrow(InvalidNameError);
    await expect(addBridge('', 'brq-much-too-long-name')).rejects.toThrow(InvalidNameError);
    await expect(setLink('', 'lo', { master: '-x' })).rejects.toThrow(InvalidNameError);
  });
});
