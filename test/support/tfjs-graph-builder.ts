import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import type { TfAttrValue, TfGraphModelJson, TfNode, TfWeightSpec } from '../../app/engine/models/tfjs-convert/tfjs-model';

/**
 * Builds small TF.js graph models (model.json + one weight shard) in tests, and runs them both through TF.js
 * (pure-JS CPU backend: the reference) and through ONNX Runtime after conversion.
 */

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
export const attr = {
  s: (v: string): TfAttrValue => ({ s: b64(v) }),
  i: (v: number): TfAttrValue => ({ i: String(v) }),
  f: (v: number): TfAttrValue => ({ f: v }),
  b: (v: boolean): TfAttrValue => ({ b: v }),
  ints: (v: number[]): TfAttrValue => ({ list: { i: v.map(String) } }),
  strs: (v: string[]): TfAttrValue => ({ list: { s: v.map(b64) } }),
  type: (t = 'DT_FLOAT'): TfAttrValue => ({ type: t }),
};

/** Deterministic pseudo-random numbers in [lo, hi). */
export function seeded(seed: number): (lo?: number, hi?: number) => number {
  let s = seed >>> 0;
  return (lo = -1, hi = 1) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  };
}

function toHalf(v: number): number {
  const u = new Uint32Array(Float32Array.of(v).buffer)[0] ?? 0;
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  const mant = u & 0x7fffff;
  if (exp <= 0) return exp < -10 ? sign : sign | (((mant | 0x800000) >> (1 - exp)) + 0x1000) >> 13;
  if (exp >= 31) return sign | 0x7c00;
  return (sign | (exp << 10)) + ((mant + 0x1000) >> 13);
}

export type Quant = 'float16' | 'uint8';

export class TestGraph {
  readonly nodes: TfNode[] = [];
  private readonly weights: { spec: TfWeightSpec; bytes: Uint8Array }[] = [];
  private readonly rnd: ReturnType<typeof seeded>;

  constructor(seed = 1) {
    this.rnd = seeded(seed);
  }

  input(name: string, shape: number[]): string {
    this.nodes.push({ name, op: 'Placeholder', attr: { dtype: attr.type(), shape: { shape: { dim: shape.map((d) => ({ size: String(d) })) } } } });
    return name;
  }

  /** A float constant (random in [lo, hi) when no values), optionally stored quantised. */
  const(name: string, shape: number[], values?: number[], quant?: Quant, lo = -1, hi = 1): string {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = values ?? Array.from({ length: n }, () => this.rnd(lo, hi));
    let bytes: Uint8Array;
    let spec: TfWeightSpec = { name, shape, dtype: 'float32' };
    if (quant === 'float16') {
      bytes = new Uint8Array(new Uint16Array(v.map(toHalf)).buffer);
      spec = { ...spec, quantization: { dtype: 'float16' } };
    } else if (quant === 'uint8') {
      const min = Math.min(...v);
      const scale = (Math.max(...v) - min) / 255 || 1;
      bytes = Uint8Array.from(v.map((x) => Math.round((x - min) / scale)));
      spec = { ...spec, quantization: { dtype: 'uint8', scale, min } };
    } else {
      bytes = new Uint8Array(Float32Array.from(v).buffer);
    }
    this.weights.push({ spec, bytes });
    this.nodes.push({ name, op: 'Const', attr: { dtype: attr.type(), value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: shape.map((d) => ({ size: String(d) })) } } as unknown } } });
    return name;
  }

  ints(name: string, values: number[], shape = [values.length]): string {
    this.weights.push({ spec: { name, shape, dtype: 'int32' }, bytes: new Uint8Array(Int32Array.from(values).buffer) });
    this.nodes.push({ name, op: 'Const', attr: { dtype: attr.type('DT_INT32'), value: { tensor: { dtype: 'DT_INT32', tensorShape: { dim: shape.map((d) => ({ size: String(d) })) } } as unknown } } });
    return name;
  }

  op(name: string, op: string, input: string[], attrs: Record<string, TfAttrValue> = {}): string {
    this.nodes.push({ name, op, input, attr: { T: attr.type(), ...attrs } });
    return name;
  }

  json(): TfGraphModelJson {
    return { format: 'graph-model', modelTopology: { node: this.nodes, library: {}, versions: {} }, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: this.weights.map((w) => w.spec) }] };
  }

  shard(): Uint8Array {
    const total = this.weights.reduce((a, w) => a + w.bytes.byteLength, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const w of this.weights) { out.set(w.bytes, o); o += w.bytes.byteLength; }
    return out;
  }
}

/** Runs the TF graph in TF.js (CPU backend) and returns each output's data, in TF (NHWC) layout. */
export async function runTfjs(json: TfGraphModelJson, shard: Uint8Array, input: Float32Array, shape: number[], outputs: string[]): Promise<Float32Array[]> {
  await tf.setBackend('cpu');
  const weightData = shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength) as ArrayBuffer;
  const model = await tf.loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[], weightData }));
  const x = tf.tensor(input, shape);
  const res = model.execute(x, outputs);
  const list = Array.isArray(res) ? res : [res];
  const data = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose([x, ...list]);
  model.dispose();
  return data;
}

/** Runs an ONNX model (one input) with one intra-op thread and returns every output by name. */
export async function runOrt(onnx: Uint8Array, inputName: string, input: Float32Array, dims: number[]): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>> {
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1 });
  try {
    const out = await session.run({ [inputName]: new ort.Tensor('float32', input, dims) });
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { data: v.data as Float32Array, dims: v.dims }]));
  } finally {
    await session.release();
  }
}

export function nhwcToNchw(x: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++) for (let i = 0; i < h * w; i++) for (let k = 0; k < c; k++) out[(b * c + k) * h * w + i] = x[(b * h * w + i) * c + k] ?? 0;
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): { diff: number; scale: number } {
  if (a.length !== b.length) return { diff: Infinity, scale: 0 };
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
    scale = Math.max(scale, Math.abs(a[i] ?? 0));
  }
  return { diff, scale };
}
