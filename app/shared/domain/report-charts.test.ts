import { describe, expect, it } from 'vitest';
import { occupancyUntilNow } from './report-charts';

describe('occupancy chart', () => {
  it('stops at now: hours that have not happened hold no value', () => {
    const h = 3600_000;
    const start = Date.UTC(2026, 2, 10);
    const buckets = Array.from({ length: 24 }, (_, i) => start + i * h);
    const values = Array.from({ length: 24 }, () => 4);
    const out = occupancyUntilNow({ buckets, generatedAt: new Date(start + 9.5 * h).toISOString() }, values);
    expect(out.slice(0, 10)).toEqual(Array(10).fill(4));
    expect(out.slice(10)).toEqual(Array(14).fill(null));
  });
  it('keeps every value of a period that is over', () => {
    expect(occupancyUntilNow({ buckets: [0, 1, 2], generatedAt: new Date(10).toISOString() }, [1, 2, 3])).toEqual([1, 2, 3]);
  });
});
