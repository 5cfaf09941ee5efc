import { RetentionPolicySchema, type RetentionPolicy } from '../../../shared/domain/retention';

/** The retention form as typed: text per number field ('' = keep forever for the day fields). */
export interface RetentionForm {
  eventsDays: string;
  snapshotsDays: string;
  tracksDays: string;
  reportsDays: string;
  minFreeMb: string;
  intervalMinutes: string;
}
export const DAY_FIELDS = ['eventsDays', 'snapshotsDays', 'tracksDays', 'reportsDays'] as const;

export function formFromPolicy(p: RetentionPolicy): RetentionForm {
  const d = (v: number | null) => (v === null ? '' : String(v));
  return { eventsDays: d(p.eventsDays), snapshotsDays: d(p.snapshotsDays), tracksDays: d(p.tracksDays), reportsDays: d(p.reportsDays), minFreeMb: String(p.minFreeMb), intervalMinutes: String(p.intervalMinutes) };
}

/** The policy the form stands for, or null when a field is not a valid whole number in range. */
export function policyFromForm(f: RetentionForm): RetentionPolicy | null {
  const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
  const days = (s: string) => (s.trim() === '' ? null : num(s));
  const parsed = RetentionPolicySchema.safeParse({
    eventsDays: days(f.eventsDays),
    snapshotsDays: days(f.snapshotsDays),
    tracksDays: days(f.tracksDays),
    reportsDays: days(f.reportsDays),
    minFreeMb: num(f.minFreeMb),
    intervalMinutes: num(f.intervalMinutes),
  });
  return parsed.success ? parsed.data : null;
}
