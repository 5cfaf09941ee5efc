import { describe, expect, it } from 'vitest';
import { formatSchedule, parseSchedule } from './arming-panel';

describe('arming schedule text', () => {
  it('reads and writes daily windows; empty is always; nonsense is refused', () => {
    expect(parseSchedule('22:00-06:00, 12:00–13:30')).toEqual([{ from: '22:00', to: '06:00' }, { from: '12:00', to: '13:30' }]);
    expect(parseSchedule('  ')).toEqual([]);
    expect(parseSchedule('25:00-06:00')).toBeNull();
    expect(formatSchedule([{ from: '22:00', to: '06:00' }])).toBe('22:00-06:00');
    expect(formatSchedule(undefined)).toBe('');
  });
});
