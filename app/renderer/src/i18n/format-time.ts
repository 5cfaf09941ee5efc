import { DateTime } from 'luxon';

/** The renderer's time formats: 24-hour, ISO-like dates. */
const FORMATS = { datetime: 'yyyy-MM-dd HH:mm:ss', time: 'HH:mm:ss', minute: 'HH:mm', weekday: 'ccc HH:mm', dayHour: 'ccc d LLL HH:mm' } as const;

/**
 * The one time formatter of the renderer: every time an officer reads is shown in the site's time zone (a site
 * setting, default the host machine's zone), whatever the zone of the computer running the browser.
 */
export function formatTime(at: number | string, zone: string | null, style: keyof typeof FORMATS = 'datetime'): string {
  // epoch ms, or an ISO 8601 instant (as the API sends some times)
  let d = typeof at === 'number' ? DateTime.fromMillis(at) : DateTime.fromISO(at, { setZone: true });
  if (!d.isValid) return String(at);
  if (zone) {
    const z = d.setZone(zone);
    if (z.isValid) d = z;
  }
  // English names (weekday, month) like the rest of the UI, whatever the locale of the computer running it
  return d.setLocale('en').toFormat(FORMATS[style]);
}

/** Epoch ms from a `datetime-local` input value read in the site zone (null when empty or invalid). */
export function parseLocalInput(value: string, zone: string | null): number | null {
  if (!value) return null;
  const d = DateTime.fromISO(value, zone ? { zone } : {});
  return d.isValid ? d.toMillis() : null;
}
