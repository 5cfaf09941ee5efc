import { describe, expect, it } from 'vitest';
import { withDefaultDates } from './report-defaults';

// 2026-03-10 01:30 UTC is still 2026-03-09 in New York.
const now = Date.UTC(2026, 2, 10, 1, 30);

describe('report form defaults', () => {
  it('"Daily" opens on today in the site time zone, with the date filled', () => {
    expect(withDefaultDates({ type: 'daily' }, now, 'UTC')).toEqual({ type: 'daily', from: '2026-03-10' });
    expect(withDefaultDates({ type: 'daily' }, now, 'America/New_York')).toEqual({ type: 'daily', from: '2026-03-09' });
  });
  it('keeps a day already chosen, and fills the other types', () => {
    expect(withDefaultDates({ type: 'daily', from: '2026-01-02' }, now, 'UTC')).toEqual({ type: 'daily', from: '2026-01-02' });
    expect(withDefaultDates({ type: 'weekly' }, now, 'UTC')).toEqual({ type: 'weekly', from: '2026-03-03' });
    expect(withDefaultDates({ type: 'monthly' }, now, 'UTC')).toEqual({ type: 'monthly', from: '2026-02-01' });
    expect(withDefaultDates({ type: 'custom' }, now, 'UTC')).toEqual({ type: 'custom', from: '2026-03-03', to: '2026-03-10' });
  });
});
