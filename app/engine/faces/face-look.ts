import fs from 'node:fs';
import jpeg from 'jpeg-js';
import { z } from 'zod';
import { FaceAnalyzer, type AnalyzedFace } from './face-analyzer';
import type { FaceSessionOptions } from './face-detector';

/**
 * One "look" of the live face step (issue 23): a frame's display JPEG and the head regions of the person tracks
 * picked in it, answered with the best face found in each region. The engine's FaceWatch asks; the shared
 * inference worker answers (inference-worker.entry.ts), between person-detection frames (idle-time-queue.ts).
 * Matching stays in the engine: no watchlist embedding or name ever travels with a look.
 */
export interface FaceLookRequest {
  /** The camera the frame is from: a newer look of the same camera replaces one still waiting. */
  cameraId: string;
  /** The face model manifests to use (findFaceModels), opened by the worker on the first look. */
  models: { detector: string; embedding: string };
  /** The frame's display JPEG, as the camera's ffmpeg encoded it (with privacy masks burned in). */
  jpeg: Uint8Array;
  /** Head regions of the picked person boxes, [x1, y1, x2, y2] in 0..1 frame coordinates (headRegion). */
  regions: [number, number, number, number][];
}

/**
 * How a look ended: the best face per region (null: none found there; boxes and landmarks in JPEG pixels),
 * `skipped` when it did not run (queue full, replaced by a newer look of the camera, worker stopped: the tracks
 * stay due and are looked at later), or `error` when the face models cannot run (missing, unreadable).
 */
export type FaceLookReply =
  | { status: 'ok'; faces: (AnalyzedFace | null)[]; cropSize: number }
  | { status: 'skipped'; reason: string }
  | { status: 'error'; message: string };

const region = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/** A look as it arrives in the worker (at most 8 regions: FaceWatch picks a few tracks a frame). */
export const FaceLookRequestSchema = z.object({
  cameraId: z.string().min(1).max(200),
  models: z.object({ detector: z.string().min(1), embedding: z.string().min(1) }),
  jpeg: z.instanceof(Uint8Array).refine((b) => b.length > 0 && b.length <= 16 * 1024 * 1024, 'a JPEG of 1 byte to 16 MB'),
  regions: z.array(region).min(1).max(8),
});

const AnalyzedFaceSchema = z.object({
  box: region,
  score: z.number(),
  landmarks: z.array(z.tuple([z.number(), z.number()])),
  quality: z.object({ eyeDistancePx: z.number(), yaw: z.number(), pitch: z.number(), sharpness: z.number(), score: z.number() }),
  rejected: z.string().nullable(),
  embedding: z.instanceof(Float32Array).optional(),
  crop: z.instanceof(Uint8Array).optional(),
});

/** A worker's answer as it arrives in the engine. */
export const FaceLookReplySchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), faces: z.array(AnalyzedFaceSchema.nullable()), cropSize: z.number().int().positive() }),
  z.object({ status: z.literal('skipped'), reason: z.string() }),
  z.object({ status: z.literal('error'), message: z.string() }),
]);

/** The head region of a person box (pixels): its top 40 %, widened to a square. */
export function headRegion(box: readonly number[], width: number, height: number): [number, number, number, number] {
  const [x1, y1, x2, y2] = [box[0]! * width, box[1]! * height, box[2]! * width, box[3]! * height];
  const side = Math.max(x2 - x1, (y2 - y1) * 0.4);
  const cx = (x1 + x2) / 2;
  return [cx - side / 2, y1 - side * 0.1, cx + side / 2, y1 + side * 0.9];
}

/** One look with an open analyzer: decodes the JPEG once, then the face models on each head region. */
export async function lookAtFaces(analyzer: FaceAnalyzer, look: Pick<FaceLookRequest, 'jpeg' | 'regions'>): Promise<FaceLookReply> {
  const d = jpeg.decode(look.jpeg, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 64 });
  const image = { data: d.data, width: d.width, height: d.height };
  const faces: (AnalyzedFace | null)[] = [];
  for (const r of look.regions) {
    const px: [number, number, number, number] = [r[0] * d.width, r[1] * d.height, r[2] * d.width, r[3] * d.height];
    faces.push((await analyzer.analyze(image, { regions: [px] }))[0] ?? null);
  }
  return { status: 'ok', faces, cropSize: analyzer.cropSize };
}

/**
 * The inference worker's face models: opened on the first look (a missing model is that look's error, with the
 * plain message of loadFaceModelManifest, and is tried again on a later look), re-opened when the engine names
 * other manifests or a manifest was written again (a face detector imported or removed), released by dispose().
 */
export class FaceLookService {
  private analyzer: Promise<FaceAnalyzer> | null = null;
  private modelsKey = '';

  constructor(private readonly sessionOptions: FaceSessionOptions = {}) {}

  async look(look: FaceLookRequest): Promise<FaceLookReply> {
    // the manifests' times too: an admin importing another face detector in place of an imported one keeps its path
    const stamp = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    const key = `${look.models.detector}@${stamp(look.models.detector)}\n${look.models.embedding}@${stamp(look.models.embedding)}`;
    if (key !== this.modelsKey) {
      await this.dispose();
      this.modelsKey = key;
    }
    this.analyzer ??= FaceAnalyzer.create(look.models, this.sessionOptions).catch((e: unknown) => {
      this.analyzer = null;
      throw e;
    });
    return lookAtFaces(await this.analyzer, look);
  }

  async dispose(): Promise<void> {
    const a = this.analyzer;
    this.analyzer = null;
    this.modelsKey = '';
    await (await a?.catch(() => null))?.dispose();
  }
}
