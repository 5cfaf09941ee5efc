import type { SiteSettings } from '../../../shared/ipc/alarms.contract';

/** Every IANA zone this browser knows (the picker's list), UTC included. */
export function knownTimeZones(): string[] {
  const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

/** Zones whose name contains every typed word (case and `_`/space ignored), for the searchable picker. */
export function matchTimeZones(zones: readonly string[], query: string, limit = 50): string[] {
  const words = query.toLowerCase().replace(/_/g, ' ').split(/[\s/]+/).filter(Boolean);
  const hits = zones.filter((z) => {
    const name = z.toLowerCase().replace(/_/g, ' ');
    return words.every((w) => name.includes(w));
  });
  return hits.slice(0, limit);
}

/** What is wrong with the form, in words (null when it can be saved). */
export function siteFormProblem(form: SiteSettings, zones: readonly string[], words: { zoneUnknown: (z: string) => string; duplicate: string }): string | null {
  if (!zones.includes(form.timeZone)) return words.zoneUnknown(form.timeZone);
  if (new Set(form.shiftStarts).size !== form.shiftStarts.length) return words.duplicate;
  return null;
}
