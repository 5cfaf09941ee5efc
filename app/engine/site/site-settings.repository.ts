import { z } from 'zod';
import { SiteSettingsSchema, type SiteSettings } from '../../shared/ipc/alarms.contract';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { SettingsRepository } from '../storage/settings.repository';
import { DEFAULT_SHIFTS, SHIFTS_KEY, type ShiftPattern } from '../reports/period';
import { isValidZone, machineTimeZone, SITE_NAME_KEY, SITE_TIME_ZONE_KEY } from '../reports/time-buckets';

/** The name reports print when an admin has not named the site. */
export const DEFAULT_SITE_NAME = 'Watchroom site';

/** Key of the first site-settings store ({ timeZone }), read once and folded into `site.timeZone` on the next save. */
const LEGACY_SITE_SETTINGS_KEY = 'site.settings';

const NameSchema = SiteSettingsSchema.shape.siteName;
const StartsSchema = SiteSettingsSchema.shape.shiftStarts;
const LegacySchema = z.object({ timeZone: z.string() }).partial();

/**
 * The one store of site settings: the site's name (`site.name`), its time zone (`site.timeZone`) and the shift
 * starts (`reports.shifts`). The alarm screens (`site:settings-get`) and every report (name on the PDF and CSV,
 * days and shifts cut in the zone) read these same keys through this class, so what an admin saves is what the
 * next report prints.
 */
export class SiteSettingsRepository {
  constructor(private readonly settings: SettingsRepository) {}

  /** The site's name (default "Watchroom site"). */
  siteName(): string {
    return this.settings.get(SITE_NAME_KEY, NameSchema) ?? DEFAULT_SITE_NAME;
  }

  /** The site's IANA time zone: the saved one when still known, else the machine's. */
  timeZone(): string {
    for (const z of [this.settings.get<unknown>(SITE_TIME_ZONE_KEY), this.settings.get(LEGACY_SITE_SETTINGS_KEY, LegacySchema)?.timeZone]) {
      if (typeof z === 'string' && isValidZone(z)) return z;
    }
    return machineTimeZone();
  }

  /** The shift pattern (default day 07:00, night 19:00). */
  shifts(): ShiftPattern {
    const saved = this.settings.get(SHIFTS_KEY, z.object({ starts: StartsSchema }));
    return saved ? { starts: [...saved.starts].sort() } : DEFAULT_SHIFTS;
  }

  get(): SiteSettings {
    return { siteName: this.siteName(), timeZone: this.timeZone(), shiftStarts: this.shifts().starts };
  }

  /** Saves the fields given (admin); an unknown time zone is refused with an example of a good one. */
  set(patch: Partial<SiteSettings>): SiteSettings {
    if (patch.timeZone !== undefined && !isKnownZone(patch.timeZone)) {
      throw new AppErrorException('invalid-input', `Unknown time zone "${patch.timeZone}". Choose one from the list, such as Europe/Berlin.`);
    }
    if (patch.siteName !== undefined) this.settings.set(SITE_NAME_KEY, NameSchema.parse(patch.siteName));
    if (patch.timeZone !== undefined) {
      this.settings.set(SITE_TIME_ZONE_KEY, patch.timeZone);
      this.settings.delete(LEGACY_SITE_SETTINGS_KEY);
    }
    if (patch.shiftStarts !== undefined) this.settings.set(SHIFTS_KEY, { starts: [...StartsSchema.parse(patch.shiftStarts)].sort() });
    return this.get();
  }
}

/** True when both Intl and luxon know the zone (Intl throws on an unknown one). */
function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    return false;
  }
  return isValidZone(zone);
}
