import { z } from 'zod';

/**
 * Recording (issue 20): each camera's video stream-copied into short fragmented-MP4 segments under
 * `<dataDir>/recordings/<cameraId>/<YYYY-MM-DD>/<startMs>.mp4`, indexed in SQLite (`recording_segments`).
 */

/** A segment's state: being written now, complete, or indexed but its file is gone. */
export const SegmentStatusSchema = z.enum(['recording', 'ok', 'missing']);
export type SegmentStatus = z.infer<typeof SegmentStatusSchema>;

/** One recorded segment as the index holds it (path resolved to an absolute path). */
export interface RecordedSegment {
  id: number;
  cameraId: string;
  /** Wall-clock time of the segment's first frame, ms since the epoch. */
  startMs: number;
  /** Wall-clock time just after its last frame, ms (while recording: the last time it was known to grow). */
  endMs: number;
  bytes: number;
  /** Absolute path of the file. */
  path: string;
  /** Video codec as ffmpeg names it (`h264`, `hevc`), null when not known. */
  codec: string | null;
  status: SegmentStatus;
}

/** A stretch of time with recording, no gap longer than the index's tolerance inside it. */
export const RecordedRangeSchema = z.object({ startMs: z.number(), endMs: z.number() });
export type RecordedRange = z.output<typeof RecordedRangeSchema>;

/** What a camera records: everything, only around events (pre-roll and post-roll), or nothing. */
export const RecordingModeSchema = z.enum(['continuous', 'events', 'off']);
export type RecordingMode = z.infer<typeof RecordingModeSchema>;

/** A weekly window, local time: days 0 (Sunday)..6, from..to as HH:MM (to may be before from: across midnight). */
export const RecordingWindowSchema = z.object({
  days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
  from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  to: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/),
});
export type RecordingWindow = z.output<typeof RecordingWindowSchema>;

/** Recording settings of one camera. */
export const CameraRecordingSchema = z.object({
  mode: RecordingModeSchema,
  /** Events mode: seconds kept before an event (from the rolling buffer), 0..120. */
  preRollS: z.number().int().min(0).max(120),
  /** Events mode: seconds kept after an event, 0..600. */
  postRollS: z.number().int().min(0).max(600),
  /** Segments older than this are removed; null = until the quota needs the room. */
  retentionDays: z.number().int().min(1).max(3650).nullable(),
  /** Segments around events are kept this long instead (null: as long as the others). */
  eventRetentionDays: z.number().int().min(1).max(3650).nullable(),
  /** Record only inside these weekly windows (null: always). */
  schedule: z.array(RecordingWindowSchema).max(28).nullable(),
});
export type CameraRecording = z.output<typeof CameraRecordingSchema>;

/** A new camera records continuously, 30 days. */
export const DEFAULT_CAMERA_RECORDING: CameraRecording = { mode: 'continuous', preRollS: 10, postRollS: 20, retentionDays: 30, eventRetentionDays: null, schedule: null };

/** Site-wide storage limits of the recordings folder. */
export const RecordingStorageSchema = z.object({
  /** Most bytes all recordings may take, in GiB (0 = no quota: only the free-space floor applies). */
  quotaGb: z.number().min(0).max(1_000_000),
  /** Keep at least this much free space on the recordings disk, MiB: the oldest segments go first to keep it. */
  minFreeMb: z.number().int().min(0).max(10_000_000),
});
export type RecordingStorage = z.output<typeof RecordingStorageSchema>;

export const DEFAULT_RECORDING_STORAGE: RecordingStorage = { quotaGb: 0, minFreeMb: 4096 };

/** What the recordings take now, and whether recording had to stop for lack of space. */
export const RecordingUsageSchema = z.object({
  /** Bytes of every indexed segment. */
  bytes: z.number(),
  /** Free bytes on the recordings disk (null when unknown). */
  freeBytes: z.number().nullable(),
  /** Segments indexed (every status). */
  segments: z.number().int(),
  /** Oldest recorded moment, ms (null: nothing recorded). */
  oldestMs: z.number().nullable(),
  /** True while recording is stopped because the quota or the free-space floor leaves no room. */
  stoppedForSpace: z.boolean(),
  /** Per camera: bytes and whether its recorder runs now. */
  cameras: z.array(z.object({ cameraId: z.string(), bytes: z.number(), recording: z.boolean() })),
});
export type RecordingUsage = z.output<typeof RecordingUsageSchema>;
