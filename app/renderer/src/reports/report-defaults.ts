import { DateTime } from 'luxon';
import type { ReportRequest, ReportType } from '../../../shared/domain/reports';

/**
 * A report request with its date fields filled, so the form never opens with an empty date: a daily or shift
 * report opens on today (the day so far, in the site's time zone), a weekly one on the last seven days' week, a
 * monthly one on last month, a custom one on the last seven days. Dates the officer already chose are kept.
 */
export function withDefaultDates(req: { type: ReportType; from?: string | undefined; to?: string | undefined }, now: number, zone: string | null): ReportRequest {
  const today = DateTime.fromMillis(now, zone ? { zone } : {});
  const d = today.isValid ? today : DateTime.fromMillis(now);
  const day = (x: DateTime) => x.toFormat('yyyy-MM-dd');
  const from = req.from || day(req.type === 'weekly' ? d.minus({ weeks: 1 }) : req.type === 'monthly' ? d.minus({ months: 1 }).startOf('month') : req.type === 'custom' ? d.minus({ days: 7 }) : d);
  if (req.type === 'custom') return { type: 'custom', from, to: req.to || day(d) };
  // A shift report with only a day falls back to the shift running now (the engine needs a time, not a day).
  if (req.type === 'shift') return req.from ? { type: 'shift', from: req.from, ...(req.to ? { to: req.to } : {}) } : { type: 'shift' };
  return { type: req.type, from };
}
