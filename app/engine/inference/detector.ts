import * as ort from 'onnxruntime-node';
import type { Detection } from '../../shared/domain/detection';
import type { ModelManifest } from '../../shared/domain/model';
import type { Logger } from '../logging/logger';
import { getDecoder } from './decoder-registry';
import type { ModelIo } from './decoders/model-io';
import type { TileRect } from '../../shared/domain/detection-tiling';
import type { Candidate, LetterboxInfo, ModelInputSpec, TensorView } from './inference-api';
import { computeLetterbox } from './letterbox';
import { modelInputSpec } from './model-input-filter';
import { openOrtSession, type ExecutionProviderName } from './ort-session';
import { minCandidateScore, postprocess, type PostprocessOptions } from './postprocess';
import { hwcToTensor } from './preprocess';
import { postprocessTiles } from './tile-merge';

export interface DetectorOptions {
  manifest: ModelManifest;
  /** ONNX file path (or bytes). */
  model: string | Uint8Array;
  executionProviders?: readonly ExecutionProviderName[];
  intraOpNumThreads?: number;
  postprocess?: PostprocessOptions;
  logger?: Logger;
}

/** One frame ready for the model: interleaved HWC uint8 already letterboxed to `spec` (see buildModelInputFilter). */
export interface DetectorFrame {
  data: Uint8Array;
  srcWidth: number;
  srcHeight: number;
  /** Colour order of `data` (default: the model's). */
  colour?: 'bgr' | 'rgb';
  /**
   * Tiled detection (detection-tiling.ts): `data` holds one model input per rectangle, stacked in this order (as
   * ffmpeg's vstack writes them); each is run as its own input and the boxes are merged into one list for the frame.
   */
  tiles?: readonly TileRect[];
}

/** One model input of a run: a frame, or one tile of a tiled frame. */
interface ModelInput {
  frame: number;
  data: Uint8Array;
  colour: 'bgr' | 'rgb' | undefined;
  /** Size of what this input shows, in source pixels (the frame, or the tile). */
  width: number;
  height: number;
}

export interface DetectorResult {
  detections: Detection[];
  /** Wall ms of preprocess + run + decode + postprocess. */
  inferenceMs: number;
  timings: { preMs: number; runMs: number; postMs: number };
}

/**
 * Session + preprocess + decode + postprocess: the one detection code path used by the inference worker, the
 * `analyze` CLI and `bench`. Fixed batch models run one frame per call; dynamic batch models take several.
 */
export class Detector {
  private inputBuf: Float32Array | null = null;
  private busy = false;

  private constructor(
    readonly manifest: ModelManifest,
    private readonly session: ort.InferenceSession,
    readonly provider: ExecutionProviderName,
    readonly io: ModelIo,
    readonly spec: ModelInputSpec,
    /** Largest batch a run may hold: 1 for a fixed batch of 1, else `maxBatch` for a dynamic one. */
    readonly maxBatch: number,
    private readonly post: PostprocessOptions,
  ) {}

  static async create(opts: DetectorOptions): Promise<Detector> {
    const decoder = getDecoder(opts.manifest.decoder);
    const opened = await openOrtSession(opts.model, { executionProviders: opts.executionProviders, intraOpNumThreads: opts.intraOpNumThreads, logger: opts.logger });
    const problem = checkInput(opened.io, opts.manifest) ?? decoder.validate?.(opened.io, opts.manifest) ?? null;
    if (problem) {
      await opened.session.release().catch(() => undefined);
      throw new Error(`model "${opts.manifest.id}" does not fit its manifest: ${problem}`);
    }
    const b = opened.io.inputs[0]!.shape[0];
    const maxBatch = typeof b === 'number' && b > 0 ? b : decoder.decodeBatchItem ? 4 : 1;
    return new Detector(opts.manifest, opened.session, opened.provider, opened.io, modelInputSpec(opts.manifest), maxBatch, opts.postprocess ?? {});
  }

  letterboxFor(srcWidth: number, srcHeight: number): LetterboxInfo {
    return computeLetterbox(srcWidth, srcHeight, this.spec);
  }

  async detect(frame: DetectorFrame, post?: PostprocessOptions): Promise<DetectorResult> {
    const [r] = await this.detectBatch([frame], post);
    return r!;
  }

  /**
   * Runs the frames' model inputs (one per frame, or one per tile of a tiled frame), up to maxBatch inputs per
   * session run (a fixed batch of 1 runs them one by one). A frame's inferenceMs covers all of its inputs.
   */
  async detectBatch(frames: DetectorFrame[], post?: PostprocessOptions): Promise<DetectorResult[]> {
    if (frames.length === 0) return [];
    const t0 = performance.now();
    const per = this.spec.width * this.spec.height * 3;
    const inputs: ModelInput[] = [];
    frames.forEach((f, i) => {
      if (!f.tiles?.length) return void inputs.push({ frame: i, data: f.data, colour: f.colour, width: f.srcWidth, height: f.srcHeight });
      if (f.data.length < per * f.tiles.length) throw new Error(`tiled frame has ${f.data.length} bytes, expected ${per * f.tiles.length} for ${f.tiles.length} tiles`);
      f.tiles.forEach((t, k) => inputs.push({ frame: i, data: f.data.subarray(k * per, (k + 1) * per), colour: f.colour, width: t.width, height: t.height }));
    });
    const cands: Candidate[][] = [];
    const ms = { pre: 0, run: 0, post: 0 };
    for (let i = 0; i < inputs.length; i += this.maxBatch) {
      const r = await this.runInputs(inputs.slice(i, i + this.maxBatch), post);
      cands.push(...r.candidates);
      ms.pre += r.preMs;
      ms.run += r.runMs;
      ms.post += r.decodeMs;
    }
    const t2 = performance.now();
    const opts = { ...this.post, ...post };
    let next = 0;
    const detections = frames.map((f) => {
      const n = f.tiles?.length ? f.tiles.length : 1;
      const mine = cands.slice(next, next + n);
      next += n;
      return f.tiles?.length ? postprocessTiles(mine, f.tiles, f.srcWidth, f.srcHeight, this.manifest, opts) : postprocess(mine[0]!, this.manifest, opts);
    });
    const t3 = performance.now();
    ms.post += t3 - t2;
    const each = (t3 - t0) / frames.length;
    const n = frames.length;
    return detections.map((d) => ({ detections: d, inferenceMs: each, timings: { preMs: ms.pre / n, runMs: ms.run / n, postMs: ms.post / n } }));
  }

  /** One session run over up to maxBatch inputs: their candidates (normalised to what each input shows). */
  private async runInputs(inputs: ModelInput[], post?: PostprocessOptions): Promise<{ candidates: Candidate[][]; preMs: number; runMs: number; decodeMs: number }> {
    const t0 = performance.now();
    const { width, height } = this.spec;
    const per = width * height * 3;
    // Reuse the input tensor's memory between runs (a fresh 2 MB array per frame costs page faults); a run that
    // overlaps another on this Detector gets its own.
    const reuse = !this.busy && this.inputBuf?.length === per * inputs.length;
    const buf = reuse ? this.inputBuf! : new Float32Array(per * inputs.length);
    if (!this.busy) this.inputBuf = buf;
    this.busy = true;
    inputs.forEach((f, i) => hwcToTensor(f.data, width, height, this.manifest, (f.colour ?? this.manifest.input.colour) !== this.manifest.input.colour, buf, i * per));
    const dims = this.manifest.input.layout === 'nchw' ? [inputs.length, 3, height, width] : [inputs.length, height, width, 3];
    const t1 = performance.now();
    let results: ort.InferenceSession.ReturnType;
    try {
      results = await this.session.run({ [this.io.inputs[0]!.name]: new ort.Tensor('float32', buf, dims) });
    } finally {
      if (buf === this.inputBuf) this.busy = false;
    }
    const t2 = performance.now();
    const outputs: Record<string, TensorView> = {};
    for (const name of this.session.outputNames) {
      const t = results[name]!;
      outputs[name] = { data: t.data as Float32Array, dims: t.dims };
    }
    const decoder = getDecoder(this.manifest.decoder);
    const minScore = minCandidateScore(this.manifest, { ...this.post, ...post });
    const candidates = inputs.map((f, i) => {
      const input = { outputs, manifest: this.manifest, letterbox: this.letterboxFor(f.width, f.height) };
      return inputs.length === 1 ? decoder.decode(input, minScore) : decoder.decodeBatchItem!(input, minScore, i);
    });
    for (const t of Object.values(results)) t.dispose?.();
    return { candidates, preMs: t1 - t0, runMs: t2 - t1, decodeMs: performance.now() - t2 };
  }

  async dispose(): Promise<void> {
    await this.session.release().catch(() => undefined);
  }
}

/** The single input must carry the manifest's name and a shape compatible with it. */
export function checkInput(io: ModelIo, manifest: ModelManifest): string | null {
  if (io.inputs.length !== 1) return `expected 1 input, the model has ${io.inputs.length}`;
  const i = io.inputs[0]!;
  if (i.name !== manifest.input.name) return `input is named "${i.name}", the manifest says "${manifest.input.name}"`;
  if (i.shape.length !== 4) return `input ${i.name} has ${i.shape.length} dimensions, expected 4`;
  const want = manifest.input.shape;
  for (let k = 0; k < 4; k++) {
    const a = i.shape[k];
    const w = want[k];
    if (typeof a === 'number' && a > 0 && typeof w === 'number' && w > 0 && a !== w) {
      return `input ${i.name} is [${i.shape.join(',')}], the manifest says [${want.join(',')}]`;
    }
  }
  const c = manifest.input.layout === 'nchw' ? i.shape[1] : i.shape[3];
  if (typeof c === 'number' && c !== 3) return `input ${i.name} has ${c} channels, expected 3 (${manifest.input.layout})`;
  return null;
}
