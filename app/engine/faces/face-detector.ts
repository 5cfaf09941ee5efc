import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { FaceModelManifestSchema, type FaceModelManifest } from '../../shared/domain/face-model';
import { openOrtSession, type ExecutionProviderName } from '../inference/ort-session';
import { warpRgb, type Point } from './face-geometry';
import type { RgbImage } from './rgb-image';

/**
 * BlazeFace ("back camera" variant) on ONNX Runtime: finds faces with six landmarks in a square region of a
 * picture. Landmarks in BlazeFace's order: the eye on the picture's left, the other eye, nose tip, mouth centre,
 * the ear (tragion) on the picture's left, the other ear.
 */
export interface DetectedFace {
  /** [x1, y1, x2, y2] in picture pixels. */
  box: [number, number, number, number];
  score: number;
  landmarks: Point[];
}

/** Opens a face model manifest (and its ONNX file beside it) with a clear message when anything is missing. */
export function loadFaceModelManifest(manifestPath: string, role: FaceModelManifest['role']): { manifest: FaceModelManifest; file: string } {
  if (!fs.existsSync(manifestPath)) throw new Error(`the ${role} model is not installed (${manifestPath} is missing; it is made when the app is installed, so installing the app again restores it)`);
  let manifest: FaceModelManifest;
  try {
    manifest = FaceModelManifestSchema.parse(JSON.parse(fs.readFileSync(manifestPath, 'utf8')));
  } catch (e) {
    throw new Error(`the ${role} model manifest ${manifestPath} is unreadable: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  if (manifest.role !== role) throw new Error(`${manifestPath} is a ${manifest.role} model, not a ${role}`);
  const file = path.resolve(path.dirname(manifestPath), manifest.file);
  if (!fs.existsSync(file)) throw new Error(`the ${role} model file ${file} is missing (run \`node scripts/postinstall.mjs\` to convert it)`);
  return { manifest, file };
}

export interface FaceSessionOptions {
  executionProviders?: readonly ExecutionProviderName[];
  intraOpNumThreads?: number;
}

/** Fills an NCHW float tensor from an RGB crop with the manifest's normalisation. */
export function toInputTensor(rgb: Uint8Array, size: number, m: FaceModelManifest): ort.Tensor {
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  const { scale, mean, std } = m.input.normalise;
  const bgr = m.input.colour === 'bgr';
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = (rgb[i * 3 + (bgr ? 2 - c : c)]! * scale - mean) / std;
  }
  return new ort.Tensor('float32', out, [1, 3, size, size]);
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function iou(a: DetectedFace['box'], b: DetectedFace['box']): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

/** Weighted non-maximum suppression (as MediaPipe does): overlapping candidates are averaged by score. */
export function blendOverlapping(cands: DetectedFace[], iouThreshold: number): DetectedFace[] {
  const rest = [...cands].sort((x, y) => y.score - x.score);
  const out: DetectedFace[] = [];
  while (rest.length) {
    const top = rest[0]!;
    const group = rest.filter((c) => iou(top.box, c.box) >= iouThreshold);
    for (const g of group) rest.splice(rest.indexOf(g), 1);
    const wsum = group.reduce((s, g) => s + g.score, 0);
    const avg = (f: (g: DetectedFace) => number) => group.reduce((s, g) => s + f(g) * g.score, 0) / wsum;
    out.push({
      score: top.score,
      box: [avg((g) => g.box[0]), avg((g) => g.box[1]), avg((g) => g.box[2]), avg((g) => g.box[3])],
      landmarks: top.landmarks.map((_, k) => [avg((g) => g.landmarks[k]![0]), avg((g) => g.landmarks[k]![1])] as Point),
    });
  }
  return out;
}

export class FaceDetector {
  private readonly size: number;
  private readonly anchors: Point[];

  private constructor(private readonly session: ort.InferenceSession, private readonly manifest: FaceModelManifest) {
    this.size = manifest.input.shape[2]!;
    this.anchors = [];
    // 16x16 grid with 2 anchors a cell, then 8x8 with 6 (the order of the flattened NHWC head outputs).
    for (const [grid, per] of [[this.size / 16, 2], [this.size / 32, 6]] as const) {
      const stride = this.size / grid;
      for (let y = 0; y < grid; y++) for (let x = 0; x < grid; x++) for (let n = 0; n < per; n++) this.anchors.push([stride * (x + 0.5), stride * (y + 0.5)]);
    }
  }

  static async create(manifestPath: string, opts: FaceSessionOptions = {}): Promise<FaceDetector> {
    const { manifest, file } = loadFaceModelManifest(manifestPath, 'face-detector');
    const opened = await openOrtSession(file, { executionProviders: opts.executionProviders, intraOpNumThreads: opts.intraOpNumThreads });
    return new FaceDetector(opened.session, manifest);
  }

  /**
   * Faces in `region` ([x1, y1, x2, y2] in picture pixels, default the whole picture), which is padded to a
   * square and scaled to the model input. Returns faces scoring at least `minScore`, best first.
   */
  async detect(image: RgbImage, opts: { region?: [number, number, number, number]; minScore?: number } = {}): Promise<DetectedFace[]> {
    const [rx1, ry1, rx2, ry2] = opts.region ?? [0, 0, image.width, image.height];
    const side = Math.max(rx2 - rx1, ry2 - ry1, 1);
    const cx = (rx1 + rx2) / 2, cy = (ry1 + ry2) / 2;
    const x0 = cx - side / 2, y0 = cy - side / 2;
    const k = this.size / side;
    const crop = warpRgb(image, { a: k, b: 0, tx: -x0 * k, ty: -y0 * k }, this.size);
    const input = toInputTensor(crop, this.size, this.manifest);
    const o = this.manifest.outputs;
    const res = await this.session.run({ [this.manifest.input.name]: input });
    const scores = [...(res[o.scores16!]!.data as Float32Array), ...(res[o.scores8!]!.data as Float32Array)];
    const b16 = res[o.boxes16!]!.data as Float32Array;
    const b8 = res[o.boxes8!]!.data as Float32Array;
    const minScore = opts.minScore ?? 0.5;
    const cands: DetectedFace[] = [];
    const n16 = b16.length / 16;
    for (let i = 0; i < scores.length; i++) {
      const score = sigmoid(Math.max(-80, Math.min(80, scores[i]!)));
      if (score < minScore) continue;
      const reg = i < n16 ? b16.subarray(i * 16, i * 16 + 16) : b8.subarray((i - n16) * 16, (i - n16) * 16 + 16);
      const [ax, ay] = this.anchors[i]!;
      const toPic = (x: number, y: number): Point => [x0 + x / k, y0 + y / k];
      const c = toPic(ax + reg[0]!, ay + reg[1]!);
      const w = reg[2]! / k, h = reg[3]! / k;
      const landmarks: Point[] = [];
      for (let j = 0; j < 6; j++) landmarks.push(toPic(ax + reg[4 + 2 * j]!, ay + reg[5 + 2 * j]!));
      cands.push({ score, box: [c[0] - w / 2, c[1] - h / 2, c[0] + w / 2, c[1] + h / 2], landmarks });
    }
    return blendOverlapping(cands, 0.3);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
