import { DateTime } from 'luxon';
import type { Grain } from '../../shared/domain/reports';

/** Site time-zone setting key (IANA name); default the machine's zone. */
export const SITE_TIME_ZONE_KEY = 'site.timeZone';
/** Site name setting key (printed on reports). */
export const SITE_NAME_KEY = 'site.name';

export const QUARTER_MS = 15 * 60_000;

/** The machine's IANA zone (fallback UTC). */
export function machineTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** True when luxon knows the zone. */
export function isValidZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

const UNIT: Record<Exclude<Grain, '15m'>, 'hour' | 'day' | 'week' | 'month'> = { hour: 'hour', day: 'day', week: 'week', month: 'month' };

/** Start of the bucket containing `ms` (weeks start on Monday). */
export function bucketStartOf(ms: number, grain: Grain, zone: string): number {
  const dt = DateTime.fromMillis(ms, { zone });
  if (grain === '15m') {
    const h = dt.startOf('hour').toMillis();
    return h + Math.floor((ms - h) / QUARTER_MS) * QUARTER_MS;
  }
  return dt.startOf(UNIT[grain]).toMillis();
}

/** Start of the bucket after the one starting at `start`: hours and quarters are absolute; days, weeks, months are calendar steps (23- or 25-hour days on a DST change). */
export function nextBucket(start: number, grain: Grain, zone: string): number {
  if (grain === '15m') return start + QUARTER_MS;
  if (grain === 'hour') {
    const n = bucketStartOf(start + 3600_000, 'hour', zone);
    return n > start ? n : start + 3600_000;
  }
  const dt = DateTime.fromMillis(start, { zone });
  const step = grain === 'day' ? { days: 1 } : grain === 'week' ? { weeks: 1 } : { months: 1 };
  return dt.plus(step).startOf(UNIT[grain]).toMillis();
}

/** Bucket starts covering [from, to): the first is the bucket containing `from` (clipped to from). */
export function bucketStarts(from: number, to: number, grain: Grain, zone: string, max = 200_000): number[] {
  const out: number[] = [];
  let b = bucketStartOf(from, grain, zone);
  if (b < from) b = Math.max(b, from);
  while (b < to && out.length < max) {
    out.push(b);
    b = nextBucket(bucketStartOf(b, grain, zone), grain, zone);
  }
  return out;
}

/** Index of the bucket holding `ms` in sorted starts (−1 before the first). */
export function bucketIndex(starts: readonly number[], ms: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= ms) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** ISO-8601 with the zone's offset, to the second (e.g. 2026-03-29T03:00:00+02:00). */
export function isoInZone(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(ms).toISOString();
}

/**
 * isoInZone for many times in a row (CSV exports): the zone's offset is looked up once per 15 minutes of
 * time (offsets only change on 15-minute marks), the rest is string work, so a million rows stay cheap.
 */
export function isoFormatter(zone: string): (ms: number) => string {
  const offsets = new Map<number, number>();
  return (ms) => {
    const q = Math.floor(ms / QUARTER_MS);
    let off = offsets.get(q);
    if (off === undefined) {
      off = DateTime.fromMillis(q * QUARTER_MS, { zone }).offset;
      if (offsets.size > 10_000) offsets.clear();
      offsets.set(q, off);
    }
    const local = new Date(ms + off * 60_000).toISOString();
    const body = ms % 1000 === 0 ? local.slice(0, 19) : local.slice(0, 23);
    const sign = off < 0 ? '-' : '+';
    const a = Math.abs(off);
    return `${body}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  };
}

/**
 * A date in words, in English whatever the computer's locale: reports are in English, and their labels feed the
 * report's data hash, which must not depend on the machine that built it.
 */
export function formatDate(dt: DateTime, format: string): string {
  return dt.setLocale('en').toFormat(format);
}

/** Short label of a bucket for charts and tables. */
export function bucketLabel(ms: number, grain: Grain, zone: string): string {
  const dt = DateTime.fromMillis(ms, { zone });
  switch (grain) {
    case '15m':
    case 'hour':
      return formatDate(dt, 'ccc d LLL HH:mm');
    case 'day':
      return formatDate(dt, 'ccc d LLL');
    case 'week':
      return `Week of ${formatDate(dt, 'd LLL yyyy')}`;
    case 'month':
      return formatDate(dt, 'LLLL yyyy');
  }
}
