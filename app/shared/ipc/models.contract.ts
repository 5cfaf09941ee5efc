import { z } from 'zod';
import { FaceDetectorFamilySchema } from '../domain/face-model';
import { ModelViewSchema } from '../domain/model';
import { invokeSpec, pushSpec } from './channel';

export const DetectionStatusSchema = z.object({
  /** on: a model runs; off: no usable model (message says how to add one). */
  state: z.enum(['on', 'off']),
  modelId: z.string().nullable(),
  message: z.string(),
  executionProvider: z.string().nullable(),
  /** true while the fallback detector (converted at install) runs: the UI suggests installing a better one. */
  fallback: z.boolean().optional(),
});
export type DetectionStatus = z.infer<typeof DetectionStatusSchema>;

/** Progress of a model being fetched from an address and checked (pushed while it runs, then once at the end). */
export const ModelInstallProgressSchema = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'checking', 'done', 'failed']),
  received: z.number().int().min(0),
  /** null when the server sent no length. */
  total: z.number().int().min(0).nullable(),
  /** The installed model's id (done). */
  modelId: z.string().nullable(),
  /** Why it failed, in words (failed). */
  message: z.string().nullable(),
});
export type ModelInstallProgress = z.infer<typeof ModelInstallProgressSchema>;

/** Bytes per upload chunk of a model file (base64 in the message: under the host's 1 MiB message limit). */
export const MODEL_UPLOAD_CHUNK_BYTES = 512 * 1024;

/**
 * What an imported model file is: a person detector (its family found from its outputs, or chosen by the admin), or
 * a face detector for the watchlist (YuNet or UltraFace), which then replaces the shipped one.
 */
export const ImportDecoderChoiceSchema = z.enum(['auto', 'yolox', 'ultralytics', 'face-yunet', 'face-ultraface']);
export type ImportDecoderChoice = z.infer<typeof ImportDecoderChoiceSchema>;

const UploadIdSchema = z.string().uuid();

/** The face detector the watchlist uses: the shipped one, or one an admin imported (which wins until removed). */
export const FaceDetectorInUseSchema = z.object({
  /** shipped: converted at install (BlazeFace); imported: from a file on the Models page; none: no face detector installed. */
  source: z.enum(['shipped', 'imported', 'none']),
  family: FaceDetectorFamilySchema.nullable(),
  name: z.string().nullable(),
  licence: z.string().nullable(),
  /** Where it came from: for an imported one, the file, who imported it, when, and its SHA-256. */
  provenance: z.string().nullable(),
  /** Why it cannot be used (an unreadable manifest), else null. */
  problem: z.string().nullable(),
});
export type FaceDetectorInUse = z.infer<typeof FaceDetectorInUseSchema>;

export const modelsInvoke = {
  'models:list': invokeSpec(z.void(), z.array(ModelViewSchema), 'Installed and known models.'),
  'models:set-default': invokeSpec(z.object({ id: z.string().min(1).max(120).nullable() }), z.array(ModelViewSchema), 'Chooses the site default detector (null = best by rank).'),
  'models:fetch-url': invokeSpec(
    z.object({
      /** http(s) address of an .onnx file (a mirror on the site's network, or the publisher's). */
      url: z.string().url().max(2000).refine((u) => /^https?:\/\//i.test(u), { message: 'the address must start with http:// or https://' }),
      /** The file's SHA-256 as the publisher gives it: the download is kept only when it matches. */
      sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { message: 'a SHA-256 is 64 hexadecimal characters' }),
    }),
    z.object({ jobId: z.string() }),
    'Downloads a model from an address, keeps it only when its SHA-256 matches and ONNX Runtime opens it with a known decoder; progress on models:install-progress.',
  ),
  'models:upload-begin': invokeSpec(
    z.object({
      /** The file's name on the admin's computer (its id comes from it; the provenance names it). */
      fileName: z.string().min(1).max(255),
      /** Its size in bytes (the engine refuses files over its limit before anything arrives). */
      size: z.number().int().positive(),
      /** What the file is (ImportDecoderChoiceSchema); auto: a person detector, its family found from its outputs. */
      decoder: ImportDecoderChoiceSchema,
      /** The licence as the publisher states it; empty: "unknown (imported by the site)". */
      licence: z.string().max(200).optional(),
    }),
    z.object({ uploadId: UploadIdSchema }),
    'Starts importing a local model file (admin): its bytes follow in models:upload-chunk; nothing is installed before models:upload-finish checks it.',
  ),
  'models:upload-chunk': invokeSpec(
    z.object({
      uploadId: UploadIdSchema,
      /** Where this chunk starts: the bytes received so far. */
      offset: z.number().int().min(0),
      /** At most MODEL_UPLOAD_CHUNK_BYTES bytes, base64. */
      data: z.string().max(Math.ceil(MODEL_UPLOAD_CHUNK_BYTES / 3) * 4).regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'base64 expected' }),
    }),
    z.object({ received: z.number().int().min(0) }),
    'One piece of a model file being imported, written to a scratch file on the host.',
  ),
  'models:upload-finish': invokeSpec(
    z.object({ uploadId: UploadIdSchema }),
    z.object({ jobId: z.string() }),
    'The whole model file arrived: ONNX Runtime opens it and it is installed only when it fits a known detector; outcome on models:install-progress.',
  ),
  'models:upload-cancel': invokeSpec(z.object({ uploadId: UploadIdSchema }), z.object({ ok: z.literal(true) }), 'Stops a model file import and deletes what arrived.'),
  'models:status': invokeSpec(z.void(), DetectionStatusSchema, 'Whether detection runs, with which model and provider.'),
  'models:face-detector': invokeSpec(z.void(), FaceDetectorInUseSchema, 'The face detector the watchlist uses: shipped, or imported by an admin (with its provenance).'),
  'models:face-detector-remove': invokeSpec(z.void(), FaceDetectorInUseSchema, 'Removes the imported face detector; the watchlist uses the shipped one again.'),
} as const;
export const modelsPush = {
  'models:install-progress': pushSpec(ModelInstallProgressSchema, 'A model fetched from an address or imported from a file: bytes received, then checked, installed or refused.'),
  'models:status': pushSpec(DetectionStatusSchema, 'Detection status changed (model loaded, failed, replaced).'),
} as const;
