import { z } from 'zod';

/**
 * A face model manifest (native-models/generated/face-*.json): the face detector (box + landmarks) or the face
 * embedding model of the watchlist. Not a person detector: the model registry skips manifests with a `role`.
 */
/**
 * The face detector families Watchroom decodes: BlazeFace (shipped, converted at install; box + eyes, nose tip,
 * mouth, ears), YuNet (imported by an admin; box + eyes, nose tip, mouth corners) and UltraFace (imported; box only,
 * the eyes are estimated from the box).
 */
export const FaceDetectorFamilySchema = z.enum(['blazeface', 'yunet', 'ultraface']);
export type FaceDetectorFamily = z.infer<typeof FaceDetectorFamilySchema>;

export const FaceModelManifestSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  role: z.enum(['face-detector', 'face-embedding']),
  /** Face detectors: which decoder reads the outputs; absent: blazeface (the shipped one). */
  family: FaceDetectorFamilySchema.optional(),
  name: z.string().min(1),
  /** ONNX file name, relative to the manifest's folder. */
  file: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  licence: z.string().min(1),
  provenance: z.string().optional(),
  input: z.object({
    name: z.string(),
    /** [1, 3, H, W] (nchw) or [1, H, W, 3] (nhwc); H and W may differ (UltraFace: 240 x 320). */
    shape: z.array(z.number().int()),
    layout: z.enum(['nchw', 'nhwc']),
    colour: z.enum(['bgr', 'rgb']),
    /** value = (pixel * scale - mean) / std. */
    normalise: z.object({ scale: z.number().default(1), mean: z.number().default(0), std: z.number().default(1) }).default({ scale: 1, mean: 0, std: 1 }),
  }),
  /**
   * Output names by meaning. BlazeFace: scores16/boxes16/scores8/boxes8; YuNet: cls8/obj8/bbox8/kps8 (and 16, 32);
   * UltraFace: scores/boxes; embedding: embedding.
   */
  outputs: z.record(z.string(), z.string()),
});
export type FaceModelManifest = z.infer<typeof FaceModelManifestSchema>;
