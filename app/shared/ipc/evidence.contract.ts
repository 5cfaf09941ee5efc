import { z } from 'zod';
import { CameraIdSchema } from '../domain/camera';
import { EvidenceProgressSchema, EvidenceVerifySchema } from '../domain/evidence';
import { invokeSpec, pushSpec } from './channel';

/** Playback of recordings and evidence exports (issue 20). Times are epoch ms. */

const EpochMsSchema = z.number().int().min(0).max(8.64e15);
const ReasonSchema = z.string().trim().min(1, 'Give a reason.').max(500);

/** A time range of one or several cameras (at most 9 side by side). */
export const EvidenceWindowSchema = z
  .object({ cameraIds: z.array(CameraIdSchema).min(1).max(9), from: EpochMsSchema, to: EpochMsSchema })
  .refine((w) => w.to > w.from, 'The end must be after the start.');

/** What the timeline shows per camera: recorded ranges (gaps between them), events and alarms. */
export const EvidenceTimelineSchema = z.object({
  cameras: z.array(z.object({ cameraId: z.string(), ranges: z.array(z.object({ startMs: z.number(), endMs: z.number() })) })),
  events: z.array(z.object({ id: z.string(), cameraId: z.string(), atMs: z.number(), type: z.string(), ruleId: z.string() })),
  alarms: z.array(z.object({ id: z.string(), cameraId: z.string(), atMs: z.number(), type: z.string(), priority: z.number() })),
});
export type EvidenceTimeline = z.output<typeof EvidenceTimelineSchema>;

/** A playable clip: the renderer plays `/playback/<ticket>.mp4` (headless) or `app://watchroom/playback/<ticket>.mp4` (Electron). */
export const PlaybackClipSchema = z.object({
  cameraId: z.string(),
  /** Random, short-lived permission to fetch this clip (one per play, given only to the caller). */
  ticket: z.string(),
  /** Wall time of the clip's first frame and its end: video time t is clipStartMs + 1000·t. */
  clipStartMs: z.number(),
  clipEndMs: z.number(),
  codec: z.string().nullable(),
  /** The recording's codec is not one the renderer decodes: this clip was converted (the UI says so). */
  transcoded: z.boolean(),
  /** The camera's privacy masks are burned into this clip (as in the live view). */
  masked: z.boolean(),
});
export type PlaybackClipView = z.output<typeof PlaybackClipSchema>;

/** Input of the export channels. */
export const EvidenceExportInputSchema = z
  .object({
    cameraIds: z.array(CameraIdSchema).min(1).max(16),
    from: EpochMsSchema,
    to: EpochMsSchema,
    reason: ReasonSchema,
    /** One of the report folders (Settings → Report folders); default: the default report folder. */
    folder: z.string().max(1000).optional(),
  })
  .refine((w) => w.to > w.from, 'The end must be after the start.');

export const evidenceInvoke = {
  'evidence:timeline': invokeSpec(EvidenceWindowSchema, EvidenceTimelineSchema, 'Recorded ranges, events and alarms of cameras in a time range (the playback timeline).'),
  'evidence:play': invokeSpec(
    z.object({ cameraId: CameraIdSchema, at: EpochMsSchema, reason: ReasonSchema.optional() }),
    PlaybackClipSchema,
    'Prepares the recording around a moment for playback (audited: who, camera, moment, reason).',
  ),
  'evidence:tracks': invokeSpec(
    z.object({ cameraId: CameraIdSchema, from: EpochMsSchema, to: EpochMsSchema }).refine((w) => w.to > w.from && w.to - w.from <= 3_600_000, 'At most an hour, end after start.'),
    z.object({ tracks: z.array(z.object({ trackId: z.number(), cls: z.string(), samples: z.array(z.object({ ms: z.number(), box: z.tuple([z.number(), z.number(), z.number(), z.number()]) })) })) }),
    'The boxes and tracks stored for a camera in a time range (drawn over playback).',
  ),
  'evidence:export': invokeSpec(EvidenceExportInputSchema, z.object({ exportId: z.string() }), 'Starts an evidence export (masks burned in); progress arrives as evidence:progress pushes.'),
  'evidence:export-unmasked': invokeSpec(EvidenceExportInputSchema, z.object({ exportId: z.string() }), 'Starts an evidence export with the privacy masks lifted for it (needs what lifting a mask needs).'),
  'evidence:cancel': invokeSpec(z.object({ exportId: z.string().max(64) }), z.object({ cancelled: z.boolean() }), 'Cancels a running evidence export; nothing of it is left.'),
  'evidence:verify': invokeSpec(z.object({ folder: z.string().min(1).max(1000) }), EvidenceVerifySchema, 'Checks an evidence folder against its manifest and the audit trail.'),
} as const;

export const evidencePush = {
  'evidence:progress': pushSpec(EvidenceProgressSchema, 'Progress of an evidence export: running (fraction), then done (folder), cancelled or failed (message).'),
} as const;
