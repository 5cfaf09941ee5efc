import { z } from 'zod';

/**
 * Reports: aggregates of the count ledger, dashboards, daily/weekly/monthly/custom and shift reports, the
 * occurrence book and scheduled exports. Times are epoch milliseconds unless named `*Iso` (ISO-8601 with the
 * site's offset). Periods are half-open: [from, to).
 */

export const GrainSchema = z.enum(['15m', 'hour', 'day', 'week', 'month']);
/** Bucket size of an aggregate, in the site's time zone (a DST day has 23 or 25 hours). */
export type Grain = z.infer<typeof GrainSchema>;

export const ReportTypeSchema = z.enum(['daily', 'weekly', 'monthly', 'custom', 'shift']);
export type ReportType = z.infer<typeof ReportTypeSchema>;

export const ReportFormatSchema = z.enum(['pdf', 'csv']);
export type ReportFormat = z.infer<typeof ReportFormatSchema>;

/** What a count is: a line crossing in/out, a zone entry/exit or an alarm condition. */
export const CountKindSchema = z.enum(['in', 'out', 'enter', 'exit', 'alarm']);
export type CountKind = z.infer<typeof CountKindSchema>;

/** Longest period one report may cover (a custom range of ten years is refused). */
export const MAX_REPORT_DAYS = 400;

/** Which report to build. Dates are the site's calendar dates (yyyy-mm-dd) or ISO date-times. */
export const ReportRequestSchema = z.object({
  type: ReportTypeSchema,
  /** Start: daily/weekly/monthly take the date the period contains (default: the last complete one);
   *  custom and shift take the start (date or date-time). */
  from: z.string().max(40).optional(),
  /** End (custom and shift; exclusive for date-times, inclusive for a plain date). */
  to: z.string().max(40).optional(),
  /** Only this camera. */
  cameraId: z.string().max(64).optional(),
  /** Bucket size of the report's table and charts (default: chosen from the period's length). */
  grain: GrainSchema.optional(),
});
export type ReportRequest = z.infer<typeof ReportRequestSchema>;

/** A resolved period in the site's zone. */
export const PeriodSchema = z.object({
  from: z.number(),
  to: z.number(),
  fromIso: z.string(),
  toIso: z.string(),
  /** IANA time zone of the site. */
  timeZone: z.string(),
  /** Officer-readable, e.g. "Mon 30 Mar 2026" or "1 Mar 2026 – 31 Mar 2026". */
  label: z.string(),
});
export type Period = z.infer<typeof PeriodSchema>;

/** One aggregate row: a bucket, a rule and a class, with the count of one kind. */
export const AggregateRowSchema = z.object({
  /** Bucket start, epoch ms, and as ISO-8601 with the site's offset. */
  bucket: z.number(),
  bucketIso: z.string(),
  cameraId: z.string(),
  ruleId: z.string(),
  cls: z.string(),
  kind: CountKindSchema,
  count: z.number(),
});
export type AggregateRow = z.infer<typeof AggregateRowSchema>;

/** Totals of one rule over the period (and the previous period of the same length). */
export const RuleReportTotalsSchema = z.object({
  cameraId: z.string(),
  cameraName: z.string(),
  ruleId: z.string(),
  /** 'line' or 'zone' (from the kinds counted; 'line' when only crossings). */
  ruleKind: z.enum(['line', 'zone']),
  in: z.number(),
  out: z.number(),
  enter: z.number(),
  exit: z.number(),
  alarms: z.number(),
  /** Zone occupancy at the period's end. */
  occupancy: z.number(),
  /** Highest occupancy in the period (sampled at every 15-minute mark). */
  peakOccupancy: z.number(),
  /** The same figures over the previous period. */
  previous: z.object({ in: z.number(), out: z.number(), enter: z.number(), exit: z.number(), alarms: z.number() }),
});
export type RuleReportTotals = z.infer<typeof RuleReportTotalsSchema>;

/** A time series per rule: in/out per bucket (lines), enter/exit and the bucket's peak occupancy, sampled at every 15-minute mark (zones). */
export const SeriesSchema = z.object({
  cameraId: z.string(),
  ruleId: z.string(),
  label: z.string(),
  in: z.array(z.number()),
  out: z.array(z.number()),
  enter: z.array(z.number()),
  exit: z.array(z.number()),
  occupancy: z.array(z.number()),
});

/** An entry an officer writes in the occurrence book (daily occurrence book). Immutable once written. */
export const OccurrenceEntrySchema = z.object({
  id: z.string(),
  /** When it happened / was written, epoch ms. */
  at: z.number(),
  text: z.string(),
  by: z.string(),
});
export type OccurrenceEntry = z.infer<typeof OccurrenceEntrySchema>;

/** One alarm of a shift, with what the officers did (from the alarms service, plugged in through ShiftAlarmSource). */
export const ShiftAlarmSchema = z.object({
  id: z.string(),
  camera: z.string(),
  rule: z.string(),
  priority: z.string(),
  openedAt: z.number(),
  closedAt: z.number().nullable(),
  /** 'true alarm', 'false alarm', 'test', or null while open. */
  outcome: z.string().nullable(),
  comment: z.string().nullable(),
  steps: z.array(z.object({ at: z.number(), user: z.string(), action: z.string(), comment: z.string().nullable() })),
});
export type ShiftAlarm = z.infer<typeof ShiftAlarmSchema>;

/** A camera health incident (offline, stalled) in the period. */
export const HealthIncidentSchema = z.object({
  cameraId: z.string(),
  camera: z.string(),
  /** 'offline', 'stalled', 'reconnecting'. */
  state: z.string(),
  from: z.number(),
  /** null while still ongoing. */
  to: z.number().nullable(),
  detail: z.string().nullable(),
});
export type HealthIncident = z.infer<typeof HealthIncidentSchema>;

/** A shift's sign-off at handover. */
export const ShiftSignoffSchema = z.object({
  id: z.string(),
  shiftFrom: z.number(),
  shiftTo: z.number(),
  by: z.string(),
  at: z.number(),
  note: z.string().nullable(),
});
export type ShiftSignoff = z.infer<typeof ShiftSignoffSchema>;

/** How long people stayed in a zone: visits (enter → exit of one track) and their median, 90th percentile and longest stay, seconds. */
const DwellFiguresSchema = z.object({ visits: z.number().int(), medianS: z.number(), p90S: z.number(), longestS: z.number() });

/** Dwell times of one zone with dwell reporting on, over the period and per local hour (of the exit; hours with visits). */
const ZoneDwellSchema = z.object({
  cameraId: z.string(),
  cameraName: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  overall: DwellFiguresSchema,
  hours: z.array(DwellFiguresSchema.extend({ hourIso: z.string() })),
});

/** Everything a report shows; the PDF, the CSV and the dashboard render this one object. */
export const ReportModelSchema = z.object({
  type: ReportTypeSchema,
  title: z.string(),
  site: z.string(),
  period: PeriodSchema,
  previous: PeriodSchema,
  grain: GrainSchema,
  /** Bucket starts of the series (epoch ms) and their labels in the site's zone. */
  buckets: z.array(z.number()),
  bucketLabels: z.array(z.string()),
  totals: z.array(RuleReportTotalsSchema),
  /** Sums over every rule: in, out, enter, exit, alarms (this period and the previous one). */
  grand: z.object({ in: z.number(), out: z.number(), enter: z.number(), exit: z.number(), alarms: z.number() }),
  grandPrevious: z.object({ in: z.number(), out: z.number(), enter: z.number(), exit: z.number(), alarms: z.number() }),
  series: z.array(SeriesSchema),
  /** Crossings + entries per weekday (0 = Monday) × hour of the day, site zone. */
  heatmap: z.array(z.array(z.number())),
  /** The busiest hours (local hour starts, ISO), most traffic first. */
  busiest: z.array(z.object({ hourIso: z.string(), count: z.number() })),
  /** The table rows (non-zero aggregates) the CSV holds. */
  rows: z.array(AggregateRowSchema),
  occurrences: z.array(OccurrenceEntrySchema),
  alarms: z.array(ShiftAlarmSchema),
  incidents: z.array(HealthIncidentSchema),
  signoff: ShiftSignoffSchema.nullable(),
  /** Alarm events of the period with a snapshot (path relative to the snapshots folder), at most 6. */
  snapshots: z.array(z.object({ eventId: z.string(), at: z.number(), cameraId: z.string(), ruleId: z.string(), type: z.string(), path: z.string() })),
  /** Dwell times of the zones with dwell reporting on (rule editor → zone options); absent when none has it on. */
  dwell: z.array(ZoneDwellSchema).optional(),
  /** Who generated it (user name or "system"), and when (ISO with offset). */
  generatedBy: z.string(),
  generatedAt: z.string(),
  /** SHA-256 (hex) of the report's data (everything but generatedBy/generatedAt/auditHead), printed in the PDF footer. */
  dataSha256: z.string(),
  /**
   * The audit trail's newest row when the report was generated (null: empty trail), printed in every PDF page's
   * footer: a printed report is an outside witness of how far the trail reached (a trail later cut short shows).
   */
  auditHead: z.object({ id: z.number().int(), hash: z.string() }).nullable(),
});
export type ReportModel = z.infer<typeof ReportModelSchema>;

/** A scheduled report, written to a folder. */
export const ReportScheduleSchema = z.object({
  id: z.string(),
  /** daily: the previous day, every day at `time`; weekly: the previous week, every `weekday` (1 = Monday) at
   *  `time`; monthly: the previous month, on the 1st at `time`; shift: the shift that just ended, every day at
   *  `time` (a shift's end). */
  type: z.enum(['daily', 'weekly', 'monthly', 'shift']),
  format: ReportFormatSchema,
  /** Local time of day, HH:mm (e.g. the shift's end). */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Time as HH:mm.'),
  /** Weekly only: ISO weekday 1..7. */
  weekday: z.number().int().min(1).max(7).nullable(),
  /** Folder the reports are written to: one of the report folders (ReportFoldersSchema). */
  folder: z.string().min(1).max(1000),
  /** Last run's due time (epoch ms), null before the first run. */
  lastRunAt: z.number().nullable(),
});
export type ReportSchedule = z.infer<typeof ReportScheduleSchema>;

/** Where reports (exports and schedules) may be written; nothing else is accepted and no folder is created. */
export const ReportFoldersSchema = z.object({
  /** `<data dir>/reports`: always allowed, the default. */
  defaultFolder: z.string(),
  /** Full paths an admin added (each existed and was writable when added). */
  folders: z.array(z.string()),
});
export type ReportFolders = z.infer<typeof ReportFoldersSchema>;

/** Progress of a long export. */
export const ExportProgressSchema = z.object({
  exportId: z.string(),
  /** 0..1 */
  fraction: z.number(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  /** The written file (state done). */
  file: z.string().nullable(),
  message: z.string().nullable(),
});
export type ExportProgress = z.infer<typeof ExportProgressSchema>;

/** Kinds counted per event type. */
export function kindOf(type: string, direction: string | null): CountKind {
  if (type === 'line.cross') return direction === 'out' ? 'out' : 'in';
  if (type === 'zone.enter') return 'enter';
  if (type === 'zone.exit') return 'exit';
  return 'alarm';
}
