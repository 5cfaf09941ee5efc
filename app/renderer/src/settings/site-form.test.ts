import { describe, expect, it } from 'vitest';
import { knownTimeZones, matchTimeZones, siteFormProblem } from './site-form';

const words = { zoneUnknown: (z: string) => `unknown ${z}`, duplicate: 'dup' };

describe('site form', () => {
  it('lists the IANA zones and finds them by part of a city name', () => {
    const zones = knownTimeZones();
    expect(zones).toContain('Europe/Berlin');
    expect(zones).toContain('UTC');
    expect(matchTimeZones(zones, 'berl')).toEqual(['Europe/Berlin']);
    expect(matchTimeZones(zones, 'new york')).toEqual(['America/New_York']);
    expect(matchTimeZones(zones, 'america new')).toContain('America/New_York');
  });

  it('explains an unknown zone and two shifts at the same time', () => {
    const zones = knownTimeZones();
    expect(siteFormProblem({ siteName: 'x', timeZone: 'Mars/Base', shiftStarts: ['07:00'] }, zones, words)).toBe('unknown Mars/Base');
    expect(siteFormProblem({ siteName: 'x', timeZone: 'UTC', shiftStarts: ['07:00', '07:00'] }, zones, words)).toBe('dup');
    expect(siteFormProblem({ siteName: 'x', timeZone: 'Europe/Berlin', shiftStarts: ['07:00', '19:00'] }, zones, words)).toBeNull();
  });
});
