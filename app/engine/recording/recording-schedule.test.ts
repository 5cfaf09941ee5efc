import { describe, expect, it } from 'vitest';
import { inSchedule } from './recording-schedule';

describe('inSchedule', () => {
  // 2026-12-07 is a Monday (day 1).
  const at = (hh: number, mm: number, day = 7) => new Date(2026, 11, day, hh, mm);
  it('is inside a same-day window on its days only', () => {
    const w = [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' }];
    expect(inSchedule(w, at(8, 0))).toBe(true);
    expect(inSchedule(w, at(17, 59))).toBe(true);
    expect(inSchedule(w, at(18, 0))).toBe(false);
    expect(inSchedule(w, at(12, 0, 6))).toBe(false); // Sunday
  });
  it('runs a window across midnight into the next morning', () => {
    const w = [{ days: [1], from: '22:00', to: '06:00' }];
    expect(inSchedule(w, at(23, 0))).toBe(true);
    expect(inSchedule(w, at(5, 0, 8))).toBe(true); // Tuesday morning
    expect(inSchedule(w, at(5, 0))).toBe(false); // Monday morning belongs to Sunday's night
  });
});
