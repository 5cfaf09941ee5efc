import { z } from 'zod';
import { CameraRecordingSchema, RecordedRangeSchema, RecordingStorageSchema, RecordingUsageSchema } from '../domain/recording';
import { invokeSpec } from './channel';

/** A camera and a time range (ms since the epoch, from < to, at most 31 days). */
export const RecordingRangeQuerySchema = z
  .object({ cameraId: z.string().min(1), fromMs: z.number().int().min(0), toMs: z.number().int().min(0) })
  .strict()
  .refine((q) => q.toMs > q.fromMs && q.toMs - q.fromMs <= 31 * 86_400_000, { message: 'The range must end after it starts and span at most 31 days.' });

/** Recorded stretches of a camera over a range: the timeline draws them, the gaps lie between. */
export const RecordingRangesSchema = z.object({ cameraId: z.string(), fromMs: z.number(), toMs: z.number(), ranges: z.array(RecordedRangeSchema) });

/** Storage limits with what recordings take now. */
export const RecordingStorageStatusSchema = z.object({ storage: RecordingStorageSchema, usage: RecordingUsageSchema });
export type RecordingStorageStatus = z.output<typeof RecordingStorageStatusSchema>;

export const recordingsInvoke = {
  'recordings:ranges': invokeSpec(RecordingRangeQuerySchema, RecordingRangesSchema, 'Recorded ranges of one camera over a time range (the gaps lie between them).'),
  'recordings:camera-get': invokeSpec(z.object({ cameraId: z.string().min(1) }).strict(), CameraRecordingSchema, "A camera's recording settings (mode, pre-roll, post-roll, retention, schedule)."),
  'recordings:camera-set': invokeSpec(z.object({ cameraId: z.string().min(1), settings: CameraRecordingSchema }).strict(), CameraRecordingSchema, "Replaces a camera's recording settings; its recorder starts or stops to match."),
  'recordings:storage-get': invokeSpec(z.void(), RecordingStorageStatusSchema, 'The recordings quota and free-space floor, and what recordings take now.'),
  'recordings:storage-set': invokeSpec(z.object({ storage: RecordingStorageSchema }).strict(), RecordingStorageStatusSchema, 'Replaces the recordings quota and free-space floor (a storage pass runs at once).'),
} as const;
