import { z } from 'zod';
import {
  ExportProgressSchema,
  OccurrenceEntrySchema,
  ReportFormatSchema,
  ReportFoldersSchema,
  ReportModelSchema,
  ReportRequestSchema,
  ReportScheduleSchema,
  ShiftSignoffSchema,
} from '../domain/reports';
import { invokeSpec, pushSpec } from './channel';

/** Reports, the dashboard, exports, the occurrence book, shift hand-over and scheduled reports. Times: epoch ms. */

const ExportIdSchema = z.string().min(1).max(64);

export const reportsInvoke = {
  'reports:build': invokeSpec(ReportRequestSchema, ReportModelSchema, 'Builds a report (the dashboard shows it): aggregates, totals against the previous period, heatmap, shift items.'),
  'reports:export': invokeSpec(
    z.object({
      request: ReportRequestSchema,
      format: ReportFormatSchema,
      /** CSV only: aggregate rows + totals (default) or every effective ledger event. */
      rows: z.enum(['report', 'events']).default('report'),
      /** Destination folder on the host: one of the report folders (`reports:folders`); default <data dir>/reports. */
      folder: z.string().min(1).max(1000).optional(),
    }),
    z.object({ /** Follow `reports:progress` for this id. */ exportId: ExportIdSchema }),
    'Starts writing a report to a file (temp file renamed when complete, never over an existing file: a -2, -3 ... suffix is added); progress and the result arrive as reports:progress pushes.',
  ),
  'reports:cancel-export': invokeSpec(z.object({ exportId: ExportIdSchema }), z.object({ cancelled: z.boolean() }), 'Cancels a running export; nothing is left behind.'),
  'reports:book-add': invokeSpec(
    z.object({ /** The entry (what happened, what was done). */ text: z.string().trim().min(1, 'Write something in the entry.').max(4000) }),
    OccurrenceEntrySchema,
    'Writes an occurrence-book entry now, as the signed-in officer. Entries are never changed afterwards.',
  ),
  'reports:book-list': invokeSpec(z.object({ from: z.number(), to: z.number() }), z.array(OccurrenceEntrySchema), 'Occurrence-book entries in [from, to), oldest first.'),
  'reports:shift-current': invokeSpec(
    /** `at`: any moment of an earlier shift (occurrence book history); absent: the shift running now. */
    z.object({ at: z.number().int().min(0).optional() }).default({}),
    z.object({ from: z.number(), to: z.number(), label: z.string(), /** Site time zone (IANA). */ timeZone: z.string(), signoff: ShiftSignoffSchema.nullable() }),
    'The shift running now, or the one at `at` (site shift pattern, site zone), and its sign-off, if any.',
  ),
  'reports:shift-sign-off': invokeSpec(
    z.object({ from: z.number(), to: z.number(), /** Hand-over note. */ note: z.string().max(2000).optional() }),
    ShiftSignoffSchema,
    'Signs a shift off at hand-over as the signed-in officer (once per shift).',
  ),
  'reports:schedules': invokeSpec(z.object({}).default({}), z.array(ReportScheduleSchema), 'Scheduled reports.'),
  'reports:schedule-save': invokeSpec(
    ReportScheduleSchema.omit({ id: true, lastRunAt: true }).extend({ id: z.string().optional() }),
    ReportScheduleSchema,
    'Adds or changes a scheduled report (confirmed like an export, four-eyes when the policy asks it for reports:export); its folder must be a report folder.',
  ),
  'reports:schedule-remove': invokeSpec(z.object({ id: z.string() }), z.object({ removed: z.boolean() }), 'Removes a scheduled report.'),
  'reports:folders': invokeSpec(z.object({}).default({}), ReportFoldersSchema, 'The folders reports and schedules may write into: <data dir>/reports and those an admin added.'),
  'reports:folders-set': invokeSpec(
    z.object({ /** Full paths of existing, writable folders (besides the default one). */ folders: z.array(z.string().min(1).max(1000)).max(20) }),
    ReportFoldersSchema,
    'Sets the folders (besides <data dir>/reports) reports may be written into (admin). Each must exist and be writable; none is created.',
  ),
} as const;

export const reportsPush = {
  'reports:progress': pushSpec(ExportProgressSchema, 'Progress of an export: running (fraction), then done (file), cancelled or failed (message).'),
} as const;
