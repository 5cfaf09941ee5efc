import { z } from 'zod';

/**
 * A face model manifest (native-models/generated/face-*.json): the face detector (box + landmarks) or the face
 * embedding model of the watchlist. Not a person detector: the model registry skips manifests with a `role`.
 */
export const FaceModelManifestSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  role: z.enum(['face-detector', 'face-embedding']),
  name: z.string().min(1),
  /** ONNX file name, relative to the manifest's folder. */
  file: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  licence: z.string().min(1),
  provenance: z.string().optional(),
  input: z.object({
    name: z.string(),
    /** [1, 3, H, W] (nchw) or [1, H, W, 3] (nhwc). */
    shape: z.array(z.number().int()),
    layout: z.enum(['nchw', 'nhwc']),
    colour: z.enum(['bgr', 'rgb']),
    /** value = (pixel * scale - mean) / std. */
    normalise: z.object({ scale: z.number().default(1), mean: z.number().default(0), std: z.number().default(1) }).default({ scale: 1, mean: 0, std: 1 }),
  }),
  /** Output names by meaning (detector: scores16/boxes16/scores8/boxes8; embedding: embedding). */
  outputs: z.record(z.string(), z.string()),
});
export type FaceModelManifest = z.infer<typeof FaceModelManifestSchema>;
