import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { FaceModelManifestSchema, type FaceDetectorFamily, type FaceModelManifest } from '../../shared/domain/face-model';
import { openOrtSession, type ExecutionProviderName } from '../inference/ort-session';
import { warpRgb, type Point } from './face-geometry';
import type { RgbImage } from './rgb-image';

/**
 * Face detection on ONNX Runtime, one decoder per detector family (the manifest's `family`):
 * - BlazeFace ("back camera" variant, shipped): box + six landmarks;
 * - YuNet (imported by an admin, OpenCV's 2023 heads): box + five landmarks (eyes, nose tip, mouth corners);
 * - UltraFace (imported by an admin, Linzaer's RFB/slim 320): box only; the eyes are estimated from the box.
 * Every family gives its landmarks in one order, so alignment and the quality gates need not know which ran.
 */
export interface DetectedFace {
  /** [x1, y1, x2, y2] in picture pixels. */
  box: [number, number, number, number];
  score: number;
  /**
   * In this order, as far as the family finds them: the eye on the picture's left, the other eye, nose tip, mouth
   * centre; BlazeFace adds the ear (tragion) on the picture's left and the other ear. UltraFace gives only the two
   * eyes, estimated from the box (`eyesFromBox`).
   */
  landmarks: Point[];
  /** true when the detector found no landmarks and the eyes were placed by the box's proportions (approximate). */
  eyesFromBox?: boolean;
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

/** Fills an NCHW float tensor from an RGB crop (`size` wide, `height` high) with the manifest's normalisation. */
export function toInputTensor(rgb: Uint8Array, size: number, m: FaceModelManifest, height = size): ort.Tensor {
  const plane = size * height;
  const out = new Float32Array(3 * plane);
  const { scale, mean, std } = m.input.normalise;
  const bgr = m.input.colour === 'bgr';
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = (rgb[i * 3 + (bgr ? 2 - c : c)]! * scale - mean) / std;
  }
  return new ort.Tensor('float32', out, [1, 3, height, size]);
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
      ...(top.eyesFromBox ? { eyesFromBox: true } : {}),
    });
  }
  return out;
}

type Outputs = ort.InferenceSession.OnnxValueMapType;
/** Candidates in model-input pixels (before suppression). */
type Decode = (res: Outputs, minScore: number) => DetectedFace[];

function output(res: Outputs, m: FaceModelManifest, meaning: string): Float32Array {
  const name = m.outputs[meaning];
  const t = name === undefined ? undefined : res[name];
  if (!t) throw new Error(`the face detector ${m.id} has no output for "${meaning}" (manifest outputs: ${Object.keys(m.outputs).join(', ')})`);
  return t.data as Float32Array;
}

/**
 * BlazeFace: 16x16 grid with 2 anchors a cell, then 8x8 with 6 (the order of the flattened NHWC head outputs);
 * logits, box centre/size and six landmarks relative to the anchor centre, in input pixels.
 */
function blazeFaceDecoder(m: FaceModelManifest, size: number): Decode {
  const anchors: Point[] = [];
  for (const [grid, per] of [[size / 16, 2], [size / 32, 6]] as const) {
    const stride = size / grid;
    for (let y = 0; y < grid; y++) for (let x = 0; x < grid; x++) for (let n = 0; n < per; n++) anchors.push([stride * (x + 0.5), stride * (y + 0.5)]);
  }
  return (res, minScore) => {
    const s16 = output(res, m, 'scores16'), s8 = output(res, m, 'scores8');
    const b16 = output(res, m, 'boxes16'), b8 = output(res, m, 'boxes8');
    const cands: DetectedFace[] = [];
    const n16 = s16.length;
    for (let i = 0; i < n16 + s8.length; i++) {
      const score = sigmoid(Math.max(-80, Math.min(80, i < n16 ? s16[i]! : s8[i - n16]!)));
      if (score < minScore) continue;
      const reg = i < n16 ? b16.subarray(i * 16, i * 16 + 16) : b8.subarray((i - n16) * 16, (i - n16) * 16 + 16);
      const [ax, ay] = anchors[i]!;
      const cx = ax + reg[0]!, cy = ay + reg[1]!, w = reg[2]!, h = reg[3]!;
      const landmarks: Point[] = [];
      for (let j = 0; j < 6; j++) landmarks.push([ax + reg[4 + 2 * j]!, ay + reg[5 + 2 * j]!]);
      cands.push({ score, box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], landmarks });
    }
    return cands;
  };
}

/**
 * YuNet (2023 heads, as OpenCV's FaceDetectorYN decodes them): per stride 8, 16 and 32 a grid over the input;
 * score = sqrt(cls * obj); box centre (cell + dx, cell + dy) * stride, size exp(dw, dh) * stride; five landmarks
 * (cell + d) * stride: the eye on the picture's left, the other eye, nose tip, the mouth corner on the picture's
 * left, the other corner. The two mouth corners become the mouth centre.
 */
function yunetDecoder(m: FaceModelManifest, width: number, height: number): Decode {
  return (res, minScore) => {
    const cands: DetectedFace[] = [];
    for (const stride of [8, 16, 32]) {
      const cls = output(res, m, `cls${stride}`), obj = output(res, m, `obj${stride}`);
      const bbox = output(res, m, `bbox${stride}`), kps = output(res, m, `kps${stride}`);
      const cols = Math.ceil(width / stride);
      const rows = Math.ceil(height / stride);
      for (let i = 0; i < rows * cols; i++) {
        const c = Math.min(1, Math.max(0, cls[i]!)), o = Math.min(1, Math.max(0, obj[i]!));
        const score = Math.sqrt(c * o);
        if (score < minScore) continue;
        const col = i % cols, row = Math.floor(i / cols);
        const cx = (col + bbox[i * 4]!) * stride, cy = (row + bbox[i * 4 + 1]!) * stride;
        const w = Math.exp(bbox[i * 4 + 2]!) * stride, h = Math.exp(bbox[i * 4 + 3]!) * stride;
        const p = (k: number): Point => [(col + kps[i * 10 + 2 * k]!) * stride, (row + kps[i * 10 + 2 * k + 1]!) * stride];
        const [m1, m2] = [p(3), p(4)];
        cands.push({ score, box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], landmarks: [p(0), p(1), p(2), [(m1[0] + m2[0]) / 2, (m1[1] + m2[1]) / 2]] });
      }
    }
    return cands;
  };
}

/**
 * Where the eyes sit in an UltraFace box, as fractions of its width and height. UltraFace was trained on WIDER
 * FACE boxes (brow to chin, cheek to cheek). The fractions are BlazeFace's eye landmarks in UltraFace RFB-320's
 * boxes, averaged over the frontal faces of fixture pictures that are not identity photos (the astronaut, both
 * walkers of the corridor clip's frame 30: eyes at x 0.24-0.31 and 0.72-0.78, y 0.34-0.48) and made left-right
 * symmetric. A turned or tilted head moves the eyes but not these points, so alignment on them is approximate: it
 * removes size and position, not roll (native-models/README.md, "Face models", measures what that costs).
 */
export const ULTRAFACE_EYES_IN_BOX: readonly Point[] = [
  [0.265, 0.41],
  [0.735, 0.41],
];

/** UltraFace: face probability (softmax index 1) and a decoded box (x1, y1, x2, y2, 0..1 of the input) per prior. */
function ultraFaceDecoder(m: FaceModelManifest, width: number, height: number): Decode {
  return (res, minScore) => {
    const scores = output(res, m, 'scores'), boxes = output(res, m, 'boxes');
    const cands: DetectedFace[] = [];
    for (let i = 0; i < boxes.length / 4; i++) {
      const score = scores[i * 2 + 1]!;
      if (score < minScore) continue;
      const box: DetectedFace['box'] = [boxes[i * 4]! * width, boxes[i * 4 + 1]! * height, boxes[i * 4 + 2]! * width, boxes[i * 4 + 3]! * height];
      const landmarks = ULTRAFACE_EYES_IN_BOX.map(([fx, fy]): Point => [box[0] + fx * (box[2] - box[0]), box[1] + fy * (box[3] - box[1])]);
      cands.push({ score, box, landmarks, eyesFromBox: true });
    }
    return cands;
  };
}

function decoderFor(family: FaceDetectorFamily, m: FaceModelManifest, width: number, height: number): Decode {
  switch (family) {
    case 'blazeface':
      return blazeFaceDecoder(m, width);
    case 'yunet':
      return yunetDecoder(m, width, height);
    case 'ultraface':
      return ultraFaceDecoder(m, width, height);
  }
}

export class FaceDetector {
  /** Model input width and height in pixels. */
  private readonly width: number;
  private readonly height: number;
  private readonly decode: Decode;

  private constructor(private readonly session: ort.InferenceSession, private readonly manifest: FaceModelManifest) {
    this.height = manifest.input.shape[2]!;
    this.width = manifest.input.shape[3]!;
    this.decode = decoderFor(this.family, manifest, this.width, this.height);
  }

  /** The detector family (manifest `family`; blazeface when absent). */
  get family(): FaceDetectorFamily {
    return this.manifest.family ?? 'blazeface';
  }

  static async create(manifestPath: string, opts: FaceSessionOptions = {}): Promise<FaceDetector> {
    const { manifest, file } = loadFaceModelManifest(manifestPath, 'face-detector');
    const opened = await openOrtSession(file, { executionProviders: opts.executionProviders, intraOpNumThreads: opts.intraOpNumThreads });
    return new FaceDetector(opened.session, manifest);
  }

  /**
   * Faces in `region` ([x1, y1, x2, y2] in picture pixels, default the whole picture), which is padded to the
   * model's aspect ratio (a square for BlazeFace and YuNet, 4:3 for UltraFace) and scaled to the model input.
   * Returns faces scoring at least `minScore`, best first.
   */
  async detect(image: RgbImage, opts: { region?: [number, number, number, number]; minScore?: number } = {}): Promise<DetectedFace[]> {
    const [rx1, ry1, rx2, ry2] = opts.region ?? [0, 0, image.width, image.height];
    const aspect = this.width / this.height;
    const winW = Math.max(rx2 - rx1, (ry2 - ry1) * aspect, 1);
    const winH = winW / aspect;
    const cx = (rx1 + rx2) / 2, cy = (ry1 + ry2) / 2;
    const x0 = cx - winW / 2, y0 = cy - winH / 2;
    const k = this.width / winW;
    const crop = warpRgb(image, { a: k, b: 0, tx: -x0 * k, ty: -y0 * k }, this.width, this.height);
    const res = await this.session.run({ [this.manifest.input.name]: toInputTensor(crop, this.width, this.manifest, this.height) });
    const toPic = (p: Point): Point => [x0 + p[0] / k, y0 + p[1] / k];
    const cands = this.decode(res, opts.minScore ?? 0.5).map((f) => {
      const [a, b] = [toPic([f.box[0], f.box[1]]), toPic([f.box[2], f.box[3]])];
      return { ...f, box: [a[0], a[1], b[0], b[1]] as DetectedFace['box'], landmarks: f.landmarks.map(toPic) };
    });
    return blendOverlapping(cands, 0.3);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
