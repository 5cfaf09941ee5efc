import type * as ort from 'onnxruntime-node';
import type { FaceModelManifest } from '../../shared/domain/face-model';
import { openOrtSession } from '../inference/ort-session';
import { loadFaceModelManifest, toInputTensor, type DetectedFace, type FaceSessionOptions } from './face-detector';
import { fitSimilarity, warpRgb, type Point } from './face-geometry';
import type { RgbImage } from './rgb-image';

/**
 * Where the eyes, nose tip and mouth centre of a frontal face sit in the aligned crop, as fractions of its
 * side. It is the place BlazeFace's landmarks take, on average over frontal studio portraits, in the crop the
 * embedding network was used with upstream (Human: the detector box enlarged 1.4 times, squared, centred), made
 * left-right symmetric. Aligning every face onto it removes head roll, size and position before the embedding.
 */
export const ALIGNED_FACE_TEMPLATE: readonly Point[] = [
  [0.345, 0.327], // eye on the picture's left
  [0.655, 0.327], // the other eye
  [0.5, 0.492], // nose tip
  [0.5, 0.652], // mouth centre
];

/**
 * The face cut out and turned upright: `size` x `size` RGB, landmarks on the template. A family with fewer
 * landmarks (UltraFace: the two eyes, estimated from the box) is aligned on the template points it has.
 */
export function alignFace(image: RgbImage, face: Pick<DetectedFace, 'landmarks'>, size: number): Uint8Array {
  const n = Math.min(ALIGNED_FACE_TEMPLATE.length, face.landmarks.length);
  const src = face.landmarks.slice(0, n);
  const dst = ALIGNED_FACE_TEMPLATE.slice(0, n).map(([x, y]) => [x * size, y * size] as Point);
  return warpRgb(image, fitSimilarity(src, dst), size);
}

/** The crop mirrored left-right. */
export function mirror(rgb: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const s = (y * size + x) * 3, d = (y * size + (size - 1 - x)) * 3;
      out[d] = rgb[s]!; out[d + 1] = rgb[s + 1]!; out[d + 2] = rgb[s + 2]!;
    }
  }
  return out;
}

/** L2-normalised copy (cosine similarity is then a dot product). */
export function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  return v.map((x) => x / n);
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export class FaceEmbedder {
  readonly size: number;

  private constructor(private readonly session: ort.InferenceSession, private readonly manifest: FaceModelManifest) {
    this.size = manifest.input.shape[2]!;
  }

  static async create(manifestPath: string, opts: FaceSessionOptions = {}): Promise<FaceEmbedder> {
    const { manifest, file } = loadFaceModelManifest(manifestPath, 'face-embedding');
    const opened = await openOrtSession(file, { executionProviders: opts.executionProviders, intraOpNumThreads: opts.intraOpNumThreads });
    return new FaceEmbedder(opened.session, manifest);
  }

  /**
   * Embedding of an aligned crop (from alignFace with this.size), L2-normalised: the mean of the crop's and its
   * mirror image's embeddings, which makes it less sensitive to which side the light or the head turn is on.
   */
  async embedAligned(crop: Uint8Array): Promise<Float32Array> {
    const run = async (rgb: Uint8Array) => {
      const res = await this.session.run({ [this.manifest.input.name]: toInputTensor(rgb, this.size, this.manifest) });
      return normalise(res[this.manifest.outputs.embedding!]!.data as Float32Array);
    };
    const a = await run(crop);
    const b = await run(mirror(crop, this.size));
    return normalise(a.map((v, i) => v + b[i]!));
  }

  async embed(image: RgbImage, face: Pick<DetectedFace, 'landmarks'>): Promise<{ embedding: Float32Array; crop: Uint8Array }> {
    const crop = alignFace(image, face, this.size);
    return { embedding: await this.embedAligned(crop), crop };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
