import fs from 'node:fs';
import path from 'node:path';
import { FaceDetector, type DetectedFace, type FaceSessionOptions } from './face-detector';
import { FaceEmbedder } from './face-embedder';
import { faceQuality, passesQualityGates, type FaceQuality } from './face-quality';
import { downscaleRgb, type RgbImage } from './rgb-image';

/**
 * Finds faces, measures their quality and computes the embedding of those good enough to match. The embedding
 * and the aligned crop exist only in memory: whoever calls this decides what (if anything) is kept.
 */
export interface AnalyzedFace extends DetectedFace {
  quality: FaceQuality;
  /** Why the face is not matched at all (quality gate), or null when it passed. */
  rejected: string | null;
  /** Present when it passed the gates. */
  embedding?: Float32Array;
  /** Aligned crop (RGB, cropSize x cropSize), present with the embedding. */
  crop?: Uint8Array;
}

/** The face model manifests in the manifest folders (later folders win, as for detectors). */
export function findFaceModels(dirs: readonly string[]): { detector: string; embedding: string } {
  const find = (file: string) => [...dirs].reverse().map((d) => path.join(d, file)).find((p) => fs.existsSync(p)) ?? path.join(dirs[dirs.length - 1] ?? '.', file);
  return { detector: find('face-detector.json'), embedding: find('face-embedding.json') };
}

function iou(a: DetectedFace['box'], b: DetectedFace['box']): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const i = w * h;
  return i / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - i);
}

/**
 * Eye distances (px) at which an enrolment photo is also embedded, each one that is smaller than the photo's own
 * face: a person seen from afar is then compared with the enrolled face at a like size. Measured on the corridor
 * clip (native-models/README.md, "Face models"): with the enrolled face alone, a walker 9-10 px between the eyes
 * looked as much like the other walker's (blurred) enrolment as like his own, and 4 of 15 frames went unmatched;
 * with these smaller copies every frame matched the right person and none the other.
 */
export const ENROLMENT_EYE_DISTANCES = [24, 16, 12, 10, 8] as const;

export class FaceAnalyzer {
  private constructor(private readonly detector: FaceDetector, private readonly embedder: FaceEmbedder) {}

  /** Throws a plain message when a face model is missing or unreadable. */
  static async create(models: { detector: string; embedding: string }, opts: FaceSessionOptions = {}): Promise<FaceAnalyzer> {
    const detector = await FaceDetector.create(models.detector, opts);
    try {
      return new FaceAnalyzer(detector, await FaceEmbedder.create(models.embedding, opts));
    } catch (e) {
      await detector.dispose();
      throw e;
    }
  }

  get cropSize(): number {
    return this.embedder.size;
  }

  /**
   * Faces in the picture (or in each of `regions`, e.g. the upper part of person boxes). Each face is looked at
   * a second time in a window four face-widths wide around it, where the detector sees it larger and places
   * the landmarks more precisely; the second look is kept when it finds the same face.
   */
  async analyze(image: RgbImage, opts: { regions?: [number, number, number, number][]; minScore?: number } = {}): Promise<AnalyzedFace[]> {
    const found: DetectedFace[] = [];
    for (const region of opts.regions ?? [undefined]) {
      for (const f of await this.detector.detect(image, { region, minScore: opts.minScore ?? 0.5 })) {
        if (!found.some((g) => iou(g.box, f.box) > 0.3)) found.push(f);
      }
    }
    const out: AnalyzedFace[] = [];
    for (const f of found) {
      const cx = (f.box[0] + f.box[2]) / 2, cy = (f.box[1] + f.box[3]) / 2;
      const s = Math.max(f.box[2] - f.box[0], f.box[3] - f.box[1]) * 2;
      const second = (await this.detector.detect(image, { region: [cx - s, cy - s, cx + s, cy + s], minScore: 0.3 }))
        .filter((c) => iou(c.box, f.box) > 0.4)
        .sort((a, b) => iou(b.box, f.box) - iou(a.box, f.box))[0];
      const face = second ? { ...second, score: Math.max(second.score, f.score) } : f;
      const { embedding, crop } = await this.embedder.embed(image, face);
      const quality = faceQuality(face.landmarks, crop, this.embedder.size);
      const gate = passesQualityGates(quality);
      out.push(gate.ok ? { ...face, quality, rejected: null, embedding, crop } : { ...face, quality, rejected: gate.reason });
    }
    return out.sort((a, b) => b.score - a.score);
  }

  /**
   * The embeddings of an enrolment photo, which must show exactly one face good enough to match; otherwise a
   * message for the supervisor saying what is wrong with the photo. `embeddings`: the face as it is, then the
   * same face in the photo scaled down to each of ENROLMENT_EYE_DISTANCES smaller than its own.
   */
  async enrolmentFace(image: RgbImage, label: string): Promise<AnalyzedFace & { embedding: Float32Array; crop: Uint8Array; embeddings: Float32Array[] }> {
    const faces = await this.analyze(image);
    if (faces.length === 0) throw new Error(`${label}: no face found in the photo`);
    if (faces.length > 1) throw new Error(`${label}: the photo shows ${faces.length} faces; use a photo of this person alone`);
    const f = faces[0]!;
    if (!f.embedding || !f.crop) throw new Error(`${label}: the face is not usable: ${f.rejected ?? 'unknown reason'}`);
    const embeddings = [f.embedding];
    for (const eyes of ENROLMENT_EYE_DISTANCES) {
      const k = eyes / f.quality.eyeDistancePx;
      if (k > 0.9) continue;
      const small = downscaleRgb(image, k);
      const box = f.box.map((v) => v * k) as DetectedFace['box'];
      const cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;
      const s = Math.max(box[2] - box[0], box[3] - box[1]) * 2;
      const seen = (await this.detector.detect(small, { region: [cx - s, cy - s, cx + s, cy + s], minScore: 0.3 }))
        .filter((c) => iou(c.box, box) > 0.3)
        .sort((a, b) => iou(b.box, box) - iou(a.box, box))[0];
      if (seen) embeddings.push((await this.embedder.embed(small, seen)).embedding);
    }
    return { ...f, embedding: f.embedding, crop: f.crop, embeddings };
  }

  async dispose(): Promise<void> {
    await this.detector.dispose();
    await this.embedder.dispose();
  }
}
