import { z } from 'zod';

/**
 * Retention: how long each kind of data is kept, and a disk-pressure floor. The audit trail, the ledger's
 * void/correction records and the events they amend are never removed.
 */

/** Days to keep, 1..3650, or null to keep forever. */
const Days = z.number().int().min(1).max(3650).nullable();

export const RetentionPolicySchema = z.object({
  /** Ledger events older than this (by frame time) are removed, except events that were voided or corrected. */
  eventsDays: Days,
  /** Event snapshots (JPEG) older than this are removed (those of voided/corrected events are kept); so is face-match evidence. */
  snapshotsDays: Days,
  /** Stored tracks (dry runs of new rules) older than this are removed. */
  tracksDays: Days,
  /** Report files under `<dataDir>/reports` older than this are removed. */
  reportsDays: Days,
  /** Disk-pressure floor: when the data directory's disk has less free space than this (MiB), the oldest snapshots are removed first until it has. 0 = off. */
  minFreeMb: z.number().int().min(0).max(10_000_000),
  /** How often retention runs, minutes. */
  intervalMinutes: z.number().int().min(5).max(1440),
});
export type RetentionPolicy = z.output<typeof RetentionPolicySchema>;

export const DEFAULT_RETENTION_POLICY: RetentionPolicy = {
  eventsDays: 365,
  snapshotsDays: 90,
  tracksDays: 7,
  reportsDays: 365,
  minFreeMb: 2048,
  intervalMinutes: 60,
};

/** What one retention run removed. */
export const RetentionReportSchema = z.object({
  /** ISO time the run started. */
  at: z.string(),
  /** What started it. */
  trigger: z.enum(['schedule', 'startup', 'manual']),
  /** Who started it ("system" for the schedule). */
  by: z.string(),
  durationMs: z.number().min(0),
  removed: z.object({
    /** Ledger events removed (below the horizon, never amended). */
    events: z.number().int().min(0),
    /** Snapshot files removed (by age, with their events, and for disk pressure). */
    snapshots: z.number().int().min(0),
    /** Bytes freed by removed snapshots. */
    snapshotBytes: z.number().int().min(0),
    tracks: z.number().int().min(0),
    reports: z.number().int().min(0),
    /** Face watchlist match evidence (the face seen, sealed) removed with the snapshots' retention; absent before face matching existed. */
    faceMatches: z.number().int().min(0).optional(),
  }),
  /** Old events kept because they were voided or corrected. */
  keptAmendedEvents: z.number().int().min(0),
  /** ISO time below which events may be removed (the recorded retention horizon), null when events are kept forever. */
  eventsHorizon: z.string().nullable(),
  /** Disk-pressure floor: free space before and after, and snapshots removed for it; null when off or unknown. */
  diskPressure: z
    .object({ floorBytes: z.number().min(0), freeBytesBefore: z.number().min(0), freeBytesAfter: z.number().min(0), snapshotsRemoved: z.number().int().min(0) })
    .nullable(),
  /** Problems met (the run carries on past them). */
  errors: z.array(z.string()),
});
export type RetentionReport = z.output<typeof RetentionReportSchema>;
