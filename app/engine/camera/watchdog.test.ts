import { afterEach, describe, expect, it } from 'vitest';
import { FrameWatchdog } from './watchdog';

describe('FrameWatchdog', () => {
  let w: FrameWatchdog | null = null;
  afterEach(() => w?.stop());

  it('reports stalled at half the gap and expires at the gap', () => {
    let t = 0;
    const events: string[] = [];
    w = new FrameWatchdog({
      gapMs: 1000,
      connectTimeoutMs: 5000,
      now: () => t,
      tickMs: 60_000,
      onStalled: (last) => events.push(`stalled@${last}`),
      onExpired: (i) => events.push(`expired:${i.firstFrame}:${i.silentMs}`),
    });
    w.start();
    t = 100;
    w.frame();
    t = 500;
    w.check();
    expect(events).toEqual([]);
    t = 650;
    w.check();
    w.check();
    expect(events).toEqual(['stalled@100']);
    t = 700;
    expect(w.frame()).toBe(true);
    t = 1700;
    w.check();
    expect(events).toEqual(['stalled@100', 'expired:true:1000']);
    t = 5000;
    w.check();
    expect(events).toHaveLength(2);
  });

  it('uses the connect timeout before the first frame', () => {
    let t = 0;
    const events: string[] = [];
    w = new FrameWatchdog({ gapMs: 1000, connectTimeoutMs: 3000, now: () => t, tickMs: 60_000, onStalled: () => events.push('stalled'), onExpired: (i) => events.push(`expired:${i.firstFrame}`) });
    w.start();
    t = 2000;
    w.check();
    expect(events).toEqual([]);
    t = 3000;
    w.check();
    expect(events).toEqual(['expired:false']);
  });
});
