import { Settings } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { resolvePeriod } from './period';
import { bucketLabel } from './time-buckets';

describe('report dates in words', () => {
  const before = Settings.defaultLocale;
  afterEach(() => {
    Settings.defaultLocale = before;
  });

  it('are English on a computer set to another language (labels feed the data hash)', () => {
    Settings.defaultLocale = 'fr';
    const at = Date.UTC(2026, 10, 30, 9); // Mon 30 Nov 2026, 10:00 in Berlin
    expect(bucketLabel(at, 'hour', 'Europe/Berlin')).toBe('Mon 30 Nov 10:00');
    expect(bucketLabel(at, 'month', 'Europe/Berlin')).toBe('November 2026');
    expect(resolvePeriod({ type: 'daily', from: '2026-11-30' }, 'Europe/Berlin', at).label).toBe('Mon 30 Nov 2026');
  });
});
