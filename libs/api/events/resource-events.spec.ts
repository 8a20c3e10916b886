import type { EntityManager } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { adminRequestContext } from '../testing/admin-context.js';
import { ResourceEvents } from './resource-events.js';

/** A unit of work's after-commit list, run by hand. */
function unitOfWork() {
  const after: (() => void | Promise<void>)[] = [];
  const ctx = { ...adminRequestContext({} as EntityManager), afterCommit: (fn: () => void | Promise<void>) => void after.push(fn) };
  return { ctx, commit: async () => { for (const fn of after) await fn(); } };
}

describe('ResourceEvents', () => {
  it('runs subscribers by priority, then in subscription order, for the resource and event subscribed only', async () => {
    const events = new ResourceEvents();
    const order: string[] = [];
    events.subscribe('port', 'precommit_create', () => void order.push('late'), { name: 'late', priority: 2000 });
    events.subscribe('port', 'precommit_create', () => void order.push('first'), { name: 'first' });
    events.subscribe('port', 'precommit_create', () => void order.push('second'), { name: 'second' });
    events.subscribe('port', 'precommit_create', () => void order.push('early'), { name: 'early', priority: 10 });
    events.subscribe('network', 'precommit_create', () => void order.push('network'), { name: 'net' });
    events.subscribe('port', 'precommit_update', () => void order.push('update'), { name: 'upd' });
    const { ctx } = unitOfWork();
    await events.publish('port', 'precommit_create', { ctx, resourceId: 'p1' });
    expect(order).toEqual(['early', 'first', 'second', 'late']);
  });

  it('before and precommit: the first throw vetoes and the subscribers after it do not run', async () => {
    const events = new ResourceEvents();
    const ran: string[] = [];
    events.subscribe('port', 'before_delete', () => { throw new Error('in use'); }, { name: 'veto' });
    events.subscribe('port', 'before_delete', () => void ran.push('after-veto'), { name: 'next' });
    const { ctx } = unitOfWork();
    await expect(events.publish('port', 'before_delete', { ctx, resourceId: 'p1' })).rejects.toThrow('in use');
    expect(ran).toEqual([]);
  });

  it('after: nothing runs until commit, then every subscriber runs in order and a failure is only logged', async () => {
    const events = new ResourceEvents();
    const ran: string[] = [];
    events.subscribe('port', 'after_create', () => void ran.push('one'), { name: 'one' });
    events.subscribe('port', 'after_create', () => { throw new Error('boom'); }, { name: 'broken' });
    events.subscribe('port', 'after_create', async () => void ran.push('three'), { name: 'three' });
    const { ctx, commit } = unitOfWork();
    await events.publish('port', 'after_create', { ctx, resourceId: 'p1', latest: { id: 'p1' } });
    expect(ran).toEqual([]);
    await expect(commit()).resolves.toBeUndefined();
    expect(ran).toEqual(['one', 'three']);
  });

  it('knows whether anyone listens', () => {
    const events = new ResourceEvents();
    events.subscribe('subnet', ['precommit_create', 'after_create'], () => undefined, { name: 'x' });
    expect(events.has('subnet', 'after_create')).toBe(true);
    expect(events.has('subnet', 'after_delete')).toBe(false);
  });
});
