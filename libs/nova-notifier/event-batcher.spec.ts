import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBatcher } from './event-batcher.js';

describe('EventBatcher (Neutron BatchNotifier timing)', () => {
  let sent: number[][];
  let batcher: EventBatcher<number>;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'] });
    sent = [];
    batcher = new EventBatcher(2000, async (batch) => void sent.push(batch));
  });
  afterEach(() => vi.useRealTimers());

  it('sends events of the same tick together on the next tick, not synchronously', async () => {
    batcher.add(1);
    batcher.add(2);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([[1, 2]]);
  });

  it('collects what arrives during the interval into one batch sent when it ends', async () => {
    batcher.add(1);
    await vi.advanceTimersByTimeAsync(0);
    batcher.add(2);
    await vi.advanceTimersByTimeAsync(500);
    batcher.add(3);
    await vi.advanceTimersByTimeAsync(1000);
    batcher.add(4);
    expect(sent).toEqual([[1]]);
    await vi.advanceTimersByTimeAsync(500);
    expect(sent).toEqual([[1], [2, 3, 4]]);
    // A new interval started with that send: the next event waits for it too.
    batcher.add(5);
    await vi.advanceTimersByTimeAsync(1999);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('goes idle after a quiet interval: the next event leaves at once again', async () => {
    batcher.add(1);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(2000);
    expect(sent).toEqual([[1]]);
    await vi.advanceTimersByTimeAsync(10_000);
    batcher.add(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([[1], [2]]);
  });

  it('close() sends the pending batch at once; later events go one by one without waiting', async () => {
    batcher.add(1);
    await vi.advanceTimersByTimeAsync(0);
    batcher.add(2);
    batcher.add(3);
    await batcher.close();
    expect(sent).toEqual([[1], [2, 3]]);
    batcher.add(4);
    expect(sent).toEqual([[1], [2, 3], [4]]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toHaveLength(3);
  });

  it('close() with nothing pending sends nothing', async () => {
    await batcher.close();
    expect(sent).toEqual([]);
  });

  it('an interval of 0 still batches within one tick', async () => {
    const zero = new EventBatcher<number>(0, async (batch) => void sent.push(batch));
    zero.add(1);
    zero.add(2);
    await vi.advanceTimersByTimeAsync(0);
    zero.add(3);
    // setTimeout(0) is 1 ms in Node.
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([[1, 2], [3]]);
  });
});
