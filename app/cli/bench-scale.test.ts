import { describe, expect, it } from 'vitest';
import { searchHeld } from './bench-scale';

/** A fake machine that holds up to `limit` cameras; records the counts measured. */
const machine = (limit: number) => {
  const measured: number[] = [];
  return { measured, held: async (n: number) => (measured.push(n), n <= limit) };
};

describe('searchHeld (bench --scale): grow, then bisect', () => {
  it('finds the exact limit for every limit from 0 to max, never measuring a count twice', async () => {
    for (const start of [1, 3, 6]) {
      for (let limit = 0; limit <= 40; limit++) {
        const m = machine(limit);
        const found = await searchHeld({ start, max: 32, held: m.held });
        expect(found, `start ${start}, limit ${limit}`).toBe(Math.min(limit, 32));
        expect(new Set(m.measured).size).toBe(m.measured.length);
        expect(m.measured.every((n) => n >= 1 && n <= 32)).toBe(true);
      }
    }
  });

  it('the ungated search from 1: doubles while held, then bisects (6 held, 7 not: 1 2 4 8 6 7)', async () => {
    const m = machine(6);
    expect(await searchHeld({ start: 1, max: 32, held: m.held })).toBe(6);
    expect(m.measured).toEqual([1, 2, 4, 8, 6, 7]);
  });

  it('the gated search from the ungated count taken as held: far fewer windows than counting up one by one', async () => {
    const m = machine(20);
    expect(await searchHeld({ start: 6, startHeld: true, max: 32, held: m.held })).toBe(20);
    expect(m.measured).toEqual([12, 24, 18, 21, 19, 20]);
    // counting up from 1 would have measured 21 counts
    expect(m.measured.length).toBeLessThan(21 / 3);
  });

  it('a start taken as held is never measured; one that equals max needs no window at all', async () => {
    const m = machine(32);
    expect(await searchHeld({ start: 32, startHeld: true, max: 32, held: m.held })).toBe(32);
    expect(m.measured).toEqual([]);
  });

  it('caps the growth at max and reports max when it is held', async () => {
    const m = machine(100);
    expect(await searchHeld({ start: 6, startHeld: true, max: 20, held: m.held })).toBe(20);
    expect(m.measured).toEqual([12, 20]);
  });

  it('a measured start that is not held bisects below it; 0 when not even 1 camera is held', async () => {
    const m = machine(3);
    expect(await searchHeld({ start: 8, max: 32, held: m.held })).toBe(3);
    expect(m.measured).toEqual([8, 4, 2, 3]);
    const none = machine(0);
    expect(await searchHeld({ start: 1, max: 32, held: none.held })).toBe(0);
    expect(none.measured).toEqual([1]);
  });

  it('trusts each measurement on a noisy machine: the answer is a count measured held, next to one measured not held', async () => {
    // held at 1-6 and 9, not at 7, 8 and above (noise)
    const noisy = async (n: number) => n <= 6 || n === 9;
    expect(await searchHeld({ start: 1, max: 32, held: noisy })).toBe(6);
  });
});
