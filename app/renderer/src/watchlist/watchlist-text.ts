import { DateTime } from 'luxon';
import { t } from '../i18n/en';

/**
 * Plain words for the Watchlist page, derived from the values (pure, for tests): how strict a threshold is, which
 * photo the engine refused, the expiry date as the site's calendar day.
 */

/**
 * How strict a similarity threshold is, in words derived from the value (not from its category). The limits
 * come from what the shipped models scored here: the same person 0.66 to 0.97, different people at most 0.51.
 */
export function thresholdWords(value: number): string {
  const s = t.watchlist.strictness;
  const words = value >= 0.75 ? s.veryStrict : value >= 0.6 ? s.strict : value >= 0.52 ? s.lenient : s.veryLenient;
  return `${value.toFixed(2)}: ${words}`;
}

/**
 * The photo (0-based) an enrolment refusal names: the engine starts its message with "Photo N" ("Photo 2: no face
 * found in the photo", "Photo 3 is not a readable picture"); null when the message names none.
 */
export function refusedPhotoIndex(message: string): number | null {
  const m = /^Photo (\d+)\b/.exec(message);
  return m ? Number(m[1]) - 1 : null;
}

/** A `<input type=date>` value as the end of that day in the site's zone (ISO, UTC); null for none or invalid. */
export function expiryIso(day: string, zone: string | null): string | null {
  if (!day) return null;
  const d = DateTime.fromISO(day, zone ? { zone } : {});
  return d.isValid ? d.endOf('day').set({ millisecond: 0 }).toUTC().toISO({ suppressMilliseconds: true }) : null;
}

/** The expiry as the site's calendar day (yyyy-MM-dd). */
export function expiryDay(iso: string, zone: string | null): string {
  const d = DateTime.fromISO(iso, { setZone: true });
  if (!d.isValid) return iso;
  return (zone ? d.setZone(zone) : d.toLocal()).toFormat('yyyy-MM-dd');
}

/** Whether an entry's expiry has passed (such entries are listed, marked, and no longer matched). */
export const isExpired = (expiresAt: string | null, nowMs: number): boolean => expiresAt !== null && Date.parse(expiresAt) <= nowMs;

/** The file name of a data-subject export: `watchlist-<name>-<yyyy-mm-dd>.json`, safe on every OS. */
export function exportFileName(name: string, nowMs: number): string {
  const safe = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'person';
  return `watchlist-${safe}-${new Date(nowMs).toISOString().slice(0, 10)}.json`;
}

/**
 * The legal notice's text as blocks to show: paragraphs (a line that does not end a sentence runs on into the
 * next) and lists (consecutive "- " lines).
 */
export function noticeBlocks(text: string): (string | string[])[] {
  const blocks: (string | string[])[] = [];
  for (const line of text.split('\n')) {
    const last = blocks.at(-1);
    if (line.startsWith('- ')) {
      if (Array.isArray(last)) last.push(line.slice(2));
      else blocks.push([line.slice(2)]);
    } else if (typeof last === 'string' && !/[.:]$/.test(last)) blocks[blocks.length - 1] = `${last} ${line}`;
    else blocks.push(line);
  }
  return blocks;
}
