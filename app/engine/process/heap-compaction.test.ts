import { afterEach, describe, expect, it, vi } from 'vitest';
import { fullGarbageCollector, startHeapCompaction } from './heap-compaction';

describe('heap compaction', () => {
  afterEach(() => vi.useRealTimers());

  it('collects what nothing refers to any more', async () => {
    const collect = fullGarbageCollector();
    const ref = new WeakRef({ payload: new Array(10_000).fill('x') });
    // a WeakRef's target is kept until the current job ends
    await new Promise((r) => setTimeout(r, 0));
    collect();
    expect(ref.deref()).toBeUndefined();
  });

  it('runs the collection every interval until disposed', () => {
    vi.useFakeTimers();
    const collect = vi.fn();
    const d = startHeapCompaction(60_000, collect);
    vi.advanceTimersByTime(3 * 60_000);
    expect(collect).toHaveBeenCalledTimes(3);
    d.dispose();
    vi.advanceTimersByTime(5 * 60_000);
    expect(collect).toHaveBeenCalledTimes(3);
  });
});
