import { describe, expect, it } from 'vitest';
import { dwellFigures, dwellOfZone, MAX_VISIT_MS, zoneVisits, type ZoneVisitRow } from './dwell';

const T0 = Date.UTC(2026, 11, 7, 9, 0); // 10:00 in Berlin
const enter = (trackId: number, s: number): ZoneVisitRow => ({ trackId, type: 'zone.enter', frameMs: T0 + s * 1000 });
const exit = (trackId: number, s: number): ZoneVisitRow => ({ trackId, type: 'zone.exit', frameMs: T0 + s * 1000 });

describe('dwell times from a zone’s enter/exit rows', () => {
  it('pairs each exit with the latest open enter of the same track; unmatched rows make no visit', () => {
    const rows = [enter(1, 0), enter(2, 5), exit(2, 65), exit(1, 30), exit(3, 40), enter(4, 50), enter(1, 100), exit(1, 110)];
    expect(zoneVisits(rows).map((v) => [(v.enterMs - T0) / 1000, (v.exitMs - T0) / 1000])).toEqual([
      [0, 30],
      [5, 65],
      [100, 110],
    ]);
    // an enter more than a day before the exit is another track that happened to get the same id
    expect(zoneVisits([{ trackId: 9, type: 'zone.enter', frameMs: T0 }, { trackId: 9, type: 'zone.exit', frameMs: T0 + MAX_VISIT_MS + 1 }])).toEqual([]);
  });

  it('median, 90th percentile (nearest rank) and longest, in whole seconds', () => {
    expect(dwellFigures([])).toEqual({ visits: 0, medianS: 0, p90S: 0, longestS: 0 });
    const ten = [10, 20, 30, 40, 50, 60, 70, 80, 90, 600].map((s) => s * 1000);
    expect(dwellFigures(ten)).toEqual({ visits: 10, medianS: 50, p90S: 90, longestS: 600 });
    expect(dwellFigures([61_400, 1_600])).toEqual({ visits: 2, medianS: 2, p90S: 61, longestS: 61 });
  });

  it('per local hour of leaving, only visits that ended in the period (a visit that began before it counts)', () => {
    const rows = [
      enter(1, -120), exit(1, 60), // began before the period, ended in it: 180 s
      enter(2, 0), exit(2, 30), // 30 s
      enter(3, 3000), exit(3, 3700), // left in the next hour: 700 s
      enter(4, 3650), exit(4, 3660), // 10 s
      enter(5, 7100), exit(5, 7300), // ended after the period
    ];
    const d = dwellOfZone(rows, T0, T0 + 7200_000, 'Europe/Berlin');
    expect(d.overall).toEqual({ visits: 4, medianS: 30, p90S: 700, longestS: 700 });
    expect(d.hours).toEqual([
      { hourIso: '2026-12-07T10:00:00+01:00', visits: 2, medianS: 30, p90S: 180, longestS: 180 },
      { hourIso: '2026-12-07T11:00:00+01:00', visits: 2, medianS: 10, p90S: 700, longestS: 700 },
    ]);
  });
});
