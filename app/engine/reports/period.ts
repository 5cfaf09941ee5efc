import { DateTime } from 'luxon';
import { MAX_REPORT_DAYS, type Grain, type Period, type ReportRequest } from '../../shared/domain/reports';
import { AppErrorException } from '../../shared/ipc/envelope';
import { formatDate } from './time-buckets';

/** A shift pattern: shifts start at these local times every day (default day 07:00, night 19:00). */
export interface ShiftPattern {
  /** Local start times, HH:mm, ascending. */
  starts: string[];
}
export const DEFAULT_SHIFTS: ShiftPattern = { starts: ['07:00', '19:00'] };
/** Settings key of the shift pattern ({ starts: ['07:00', '19:00'] }). */
export const SHIFTS_KEY = 'reports.shifts';

const bad = (message: string) => new AppErrorException('invalid-input', message);

/** Parses a date (yyyy-mm-dd, the whole day) or a date-time (with or without offset; none = site zone). */
function parseWhen(text: string, zone: string, what: string): { dt: DateTime; dateOnly: boolean } {
  const t = text.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(t);
  const dt = DateTime.fromISO(t, { zone, setZone: false }).setZone(zone);
  if (!dt.isValid) throw bad(`${what} "${text}" is not a date (yyyy-mm-dd) or an ISO date-time.`);
  return { dt, dateOnly };
}

function make(from: DateTime, to: DateTime, zone: string, label: string): Period {
  const iso = (d: DateTime) => d.toISO({ suppressMilliseconds: true }) ?? '';
  return { from: from.toMillis(), to: to.toMillis(), fromIso: iso(from), toIso: iso(to), timeZone: zone, label };
}

const fmtDay = (d: DateTime) => formatDate(d, 'ccc d LLL yyyy');
const fmtTime = (d: DateTime) => formatDate(d, 'ccc d LLL yyyy HH:mm');

/** The shift containing `at` under the pattern. */
export function shiftAt(at: number, zone: string, pattern: ShiftPattern = DEFAULT_SHIFTS): { from: number; to: number } {
  const t = DateTime.fromMillis(at, { zone });
  const candidates: number[] = [];
  for (const dayOffset of [-1, 0, 1]) {
    const day = t.startOf('day').plus({ days: dayOffset });
    for (const s of pattern.starts) {
      const [h, m] = s.split(':').map(Number);
      candidates.push(day.set({ hour: h ?? 0, minute: m ?? 0 }).toMillis());
    }
  }
  candidates.sort((a, b) => a - b);
  let i = candidates.length - 1;
  while (i > 0 && candidates[i]! > at) i--;
  return { from: candidates[i]!, to: candidates[i + 1]! };
}

/**
 * Resolves a report request to its period in the site's zone, refusing an empty period, an end before the
 * start and periods longer than MAX_REPORT_DAYS. Defaults: the last complete day/week/month; the current shift.
 */
export function resolvePeriod(req: Pick<ReportRequest, 'type' | 'from' | 'to'>, zone: string, now: number, shifts: ShiftPattern = DEFAULT_SHIFTS): Period {
  const nowDt = DateTime.fromMillis(now, { zone });
  const at = req.from ? parseWhen(req.from, zone, 'The start').dt : null;
  let p: Period;
  switch (req.type) {
    case 'daily': {
      const d = (at ?? nowDt.minus({ days: 1 })).startOf('day');
      p = make(d, d.plus({ days: 1 }), zone, fmtDay(d));
      break;
    }
    case 'weekly': {
      const d = (at ?? nowDt.minus({ weeks: 1 })).startOf('week');
      p = make(d, d.plus({ weeks: 1 }), zone, `Week of ${fmtDay(d)}`);
      break;
    }
    case 'monthly': {
      const d = (at ?? nowDt.minus({ months: 1 })).startOf('month');
      p = make(d, d.plus({ months: 1 }), zone, formatDate(d, 'LLLL yyyy'));
      break;
    }
    case 'shift': {
      if (req.from && req.to) {
        const f = parseWhen(req.from, zone, 'The start');
        const e = parseWhen(req.to, zone, 'The end');
        p = make(f.dt, e.dateOnly ? e.dt.plus({ days: 1 }) : e.dt, zone, `Shift ${fmtTime(f.dt)} – ${fmtTime(e.dateOnly ? e.dt.plus({ days: 1 }) : e.dt)}`);
      } else {
        const s = shiftAt(at ? at.toMillis() : now, zone, shifts);
        const f = DateTime.fromMillis(s.from, { zone });
        const e = DateTime.fromMillis(s.to, { zone });
        p = make(f, e, zone, `Shift ${fmtTime(f)} – ${fmtTime(e)}`);
      }
      break;
    }
    case 'custom': {
      if (!req.from || !req.to) throw bad('A custom report needs a start and an end (--from and --to).');
      const f = parseWhen(req.from, zone, 'The start');
      const e = parseWhen(req.to, zone, 'The end');
      const end = e.dateOnly ? e.dt.plus({ days: 1 }).startOf('day') : e.dt;
      const label = f.dateOnly && e.dateOnly ? `${fmtDay(f.dt)} – ${fmtDay(e.dt)}` : `${fmtTime(f.dt)} – ${fmtTime(end)}`;
      p = make(f.dateOnly ? f.dt.startOf('day') : f.dt, end, zone, label);
      break;
    }
  }
  if (p.to < p.from) throw bad(`The end of the period (${p.toIso}) is before its start (${p.fromIso}).`);
  if (p.to === p.from) throw bad('The period is empty: its start and end are the same time.');
  if (p.to - p.from > MAX_REPORT_DAYS * 86_400_000 + 3_600_000) {
    throw bad(`A report can cover at most ${MAX_REPORT_DAYS} days; this period has ${Math.round((p.to - p.from) / 86_400_000)}. Choose a shorter period.`);
  }
  return p;
}

/** The period just before: the previous calendar day/week/month, else the same length immediately before. */
export function previousPeriod(type: ReportRequest['type'], p: Period): Period {
  const zone = p.timeZone;
  const from = DateTime.fromMillis(p.from, { zone });
  const step = type === 'daily' ? { days: 1 } : type === 'weekly' ? { weeks: 1 } : type === 'monthly' ? { months: 1 } : null;
  const f = step ? from.minus(step) : DateTime.fromMillis(p.from - (p.to - p.from), { zone });
  return make(f, from, zone, `${fmtTime(f)} – ${fmtTime(from)}`);
}

/** Default bucket size for a report. */
export function defaultGrain(type: ReportRequest['type'], p: Period): Grain {
  if (type === 'daily' || type === 'shift') return 'hour';
  if (type === 'weekly' || type === 'monthly') return 'day';
  const days = (p.to - p.from) / 86_400_000;
  return days <= 2 ? 'hour' : days <= 62 ? 'day' : 'week';
}
