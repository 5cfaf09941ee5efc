import { describe, expect, it } from 'vitest';
import { formatTime, parseLocalInput } from './format-time';

describe('formatTime', () => {
  it('shows times in the site zone, across DST', () => {
    const t = Date.UTC(2026, 2, 29, 0, 30); // 01:30 CET, before the switch at 02:00
    expect(formatTime(t, 'Europe/Berlin')).toBe('2026-03-29 01:30:00');
    expect(formatTime(t + 3600_000, 'Europe/Berlin')).toBe('2026-03-29 03:30:00');
    expect(formatTime(t, 'UTC', 'time')).toBe('00:30:00');
    expect(parseLocalInput('2026-03-29T03:30', 'Europe/Berlin')).toBe(t + 3600_000);
    expect(parseLocalInput('', 'UTC')).toBeNull();
  });

  it('takes ISO instants too (as the API sends some times), shown in the site zone; garbage is shown as it came', () => {
    expect(formatTime('2026-11-30T10:18:44.123Z', 'Europe/Berlin')).toBe('2026-11-30 11:18:44');
    expect(formatTime('2026-11-30T11:18:44+01:00', 'UTC', 'time')).toBe('10:18:44');
    expect(formatTime('not a time', 'UTC')).toBe('not a time');
    expect(formatTime('2026-11-30T10:18:44Z', 'Europe/Berlin', 'minute')).toBe('11:18');
    expect(formatTime(Date.UTC(2026, 10, 30, 23, 30), 'Europe/Berlin', 'weekday')).toBe('Tue 00:30');
    expect(formatTime('2026-11-29T07:00:00+01:00', 'Europe/Berlin', 'dayHour')).toBe('Sun 29 Nov 07:00');
  });
});
