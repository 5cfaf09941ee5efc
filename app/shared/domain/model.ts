import { z } from 'zod';

/**
 * A detector manifest (native-models/<id>.json). Describes the file and its I/O contract so the engine can
 * prepare input (ideally ffmpeg does the scaling) and decode output without model-specific code paths.
 */
export const ModelManifestSchema = z.object({
  /** Stable id, kebab-case, e.g. `yolox-nano`. */
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  name: z.string().min(1),
  /** ONNX file name, relative to the manifest's folder. */
  file: z.string().min(1),
  /**
   * Lower-case hex SHA-256 of the file; a mismatch refuses the model. Absent only in a URL-only manifest whose
   * upstream publishes no checksum: `models fetch <id> --sha256 <hex>` must then be given the expected value, and
   * an installed file without a pinned SHA-256 is refused.
   */
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** Where `models fetch` downloads it from (optional: imported and converted models have none). */
  url: z.string().url().optional(),
  licence: z.string().min(1),
  /** Where the weights come from, in words (upstream project, commit, conversion). */
  provenance: z.string().optional(),
  input: z.object({
    name: z.string(),
    /** [N, C, H, W] for nchw, [N, H, W, C] for nhwc; -1 or a string for a dynamic dimension. */
    shape: z.array(z.union([z.number().int(), z.string()])),
    layout: z.enum(['nchw', 'nhwc']),
    colour: z.enum(['bgr', 'rgb']),
    /** value = (pixel * scale - mean[c]) / std[c]; defaults: scale 1, mean 0, std 1. */
    normalise: z.object({ scale: z.number().default(1), mean: z.array(z.number()).length(3).optional(), std: z.array(z.number()).length(3).optional() }).default({ scale: 1 }),
    /** topleft: YOLOX style (pad right/bottom); center: Ultralytics style; stretch: no aspect kept. */
    letterbox: z.enum(['topleft', 'center', 'stretch']),
    padValue: z.number().int().min(0).max(255).default(114),
  }),
  decoder: z.enum(['yolox', 'ultralytics', 'centernet']),
  /** Decoder-specific options (e.g. strides for yolox, output names for centernet). */
  decoderOptions: z.record(z.string(), z.unknown()).default({}),
  classes: z.array(z.string()).min(1),
  /** Default score threshold and per-class overrides. */
  thresholds: z.object({ score: z.number().min(0).max(1).default(0.3), nmsIou: z.number().min(0).max(1).default(0.45), perClass: z.record(z.string(), z.number()).default({}) }).default({ score: 0.3, nmsIou: 0.45, perClass: {} }),
  /** Preference when several detectors are installed: higher runs by default (see README "Models"). */
  rank: z.number().default(0),
});
export type ModelManifest = z.infer<typeof ModelManifestSchema>;

export const ModelViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  licence: z.string(),
  provenance: z.string().optional(),
  decoder: z.string(),
  inputSize: z.tuple([z.number(), z.number()]),
  /** installed: file present and verified; missing: manifest only (can be fetched); invalid: refused, see error. */
  status: z.enum(['installed', 'missing', 'invalid']),
  error: z.string().optional(),
  isDefault: z.boolean(),
  rank: z.number(),
});
export type ModelView = z.infer<typeof ModelViewSchema>;
