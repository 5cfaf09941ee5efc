import { describe, expect, it } from 'vitest';
import { baseDelayMs, createBackoff } from './backoff';

describe('backoff', () => {
  it('starts at 1 s and doubles up to 60 s', () => {
    const b = createBackoff({ random: () => 0.5 });
    const delays = Array.from({ length: 9 }, () => b.next());
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    expect(b.attempt).toBe(9);
  });

  it('jitters by ±20 %', () => {
    expect(createBackoff({ random: () => 0 }).next()).toBe(800);
    expect(createBackoff({ random: () => 0.999999 }).next()).toBe(1200);
    const low = createBackoff({ random: () => 0 });
    for (let i = 0; i < 10; i++) low.next();
    expect(low.next()).toBe(48000);
  });

  it('stays within bounds for any random value', () => {
    const b = createBackoff();
    for (let i = 0; i < 50; i++) {
      const base = baseDelayMs(b.attempt);
      const d = b.next();
      expect(d).toBeGreaterThanOrEqual(base * 0.8);
      expect(d).toBeLessThanOrEqual(base * 1.2);
    }
  });

  it('reset returns to the initial delay', () => {
    const b = createBackoff({ random: () => 0.5 });
    b.next();
    b.next();
    b.reset();
    expect(b.attempt).toBe(0);
    expect(b.next()).toBe(1000);
  });
});
