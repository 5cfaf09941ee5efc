import { describe, expect, it } from 'vitest';
import { flatOutWindow } from './bench-pipeline';

describe('bench flat-out window', () => {
  it('keeps every session fed with at most one frame waiting per camera', () => {
    for (const sessions of [1, 2, 4]) {
      for (const k of [1, 2, 3, 4, 8]) {
        const w = flatOutWindow(sessions, k);
        expect(w).toBeGreaterThanOrEqual(1);
        expect(k * w).toBeLessThanOrEqual(sessions + k); // never two waiting for one camera
        expect(k * w).toBeGreaterThanOrEqual(Math.min(sessions + 1, sessions + k)); // sessions busy and one more waiting
      }
    }
    expect([flatOutWindow(2, 1), flatOutWindow(2, 4)]).toEqual([3, 1]);
  });
});
