
/**
 * Reading a TF.js graph model (model.json + binary weight shards) into plain typed arrays. Quantised weights
 * are dequantised here (float16, and uint8/uint16 affine `q * scale + min`), so the converter only ever sees
 * float32 and int32 constants.
 */

/** One attribute value of a TF NodeDef as tfjs-converter writes it to JSON (strings are base64). */
export interface TfAttrValue {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: { dim?: { size?: string | number }[]; unknownRank?: boolean };
  tensor?: unknown;
  list?: { s?: string[]; i?: (string | number)[]; f?: number[]; b?: boolean[]; type?: string[]; shape?: unknown[] };
  func?: unknown;
}

/** One node of the TF graph (`modelTopology.node[]`). */
export interface TfNode {
  name: string;
  op: string;
  /** Input references: `name`, `name:1` (second output) or `^name` (control dependency). */
  input?: string[];
  attr?: Record<string, TfAttrValue>;
  device?: string;
}

/** One entry of `weightsManifest[].weights`. */
export interface TfWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  /** Present when the stored bytes are quantised. */
  quantization?: { dtype: 'float16' | 'uint8' | 'uint16'; scale?: number; min?: number; original_dtype?: string };
}

/** The parts of model.json the converter reads. */
export interface TfGraphModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  signature?: unknown;
  modelTopology: { node: TfNode[]; library?: { function?: unknown[] }; versions?: unknown };
  weightsManifest: { paths: string[]; weights: TfWeightSpec[] }[];
}

/** A dequantised constant. */
export interface ConstTensor {
  dtype: 'float32' | 'int32';
  shape: number[];
  data: Float32Array | Int32Array;
}

export class TfjsModelError extends Error {
  override name = 'TfjsModelError';
}

const bytesPerStored = (w: TfWeightSpec): number => {
  const q = w.quantization?.dtype;
  if (q === 'float16' || q === 'uint16') return 2;
  if (q === 'uint8') return 1;
  if (w.dtype === 'float32' || w.dtype === 'int32') return 4;
  if (w.dtype === 'bool') return 1;
  throw new TfjsModelError(`weight "${w.name}": dtype ${w.dtype} is not supported`);
};

/** IEEE 754 half -> float (exact; subnormals, infinities and NaN included). */
export function float16ToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** Decodes one weight from its stored bytes. */
export function decodeWeight(w: TfWeightSpec, bytes: Uint8Array): ConstTensor {
  const count = w.shape.reduce((a, b) => a * b, 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const q = w.quantization;
  if (q) {
    if (w.dtype !== 'float32' && w.dtype !== 'int32') throw new TfjsModelError(`weight "${w.name}": quantised ${w.dtype} is not supported`);
    const out = w.dtype === 'int32' ? new Int32Array(count) : new Float32Array(count);
    if (q.dtype === 'float16') {
      for (let i = 0; i < count; i++) out[i] = float16ToFloat32(view.getUint16(2 * i, true));
    } else if (q.dtype === 'uint8' || q.dtype === 'uint16') {
      if (typeof q.scale !== 'number' || typeof q.min !== 'number') throw new TfjsModelError(`weight "${w.name}": ${q.dtype} quantisation without scale/min`);
      for (let i = 0; i < count; i++) {
        const v = q.dtype === 'uint8' ? view.getUint8(i) : view.getUint16(2 * i, true);
        out[i] = w.dtype === 'int32' ? Math.round(v * q.scale + q.min) : v * q.scale + q.min;
      }
    } else {
      throw new TfjsModelError(`weight "${w.name}": quantisation ${String((q as { dtype: unknown }).dtype)} is not supported`);
    }
    return { dtype: w.dtype, shape: [...w.shape], data: out };
  }
  if (w.dtype === 'float32') {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
    return { dtype: 'float32', shape: [...w.shape], data: out };
  }
  if (w.dtype === 'int32') {
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, true);
    return { dtype: 'int32', shape: [...w.shape], data: out };
  }
  if (w.dtype === 'bool') {
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getUint8(i) ? 1 : 0;
    return { dtype: 'int32', shape: [...w.shape], data: out };
  }
  throw new TfjsModelError(`weight "${w.name}": dtype ${w.dtype} is not supported`);
}

/** A loaded model: its graph JSON and every weight, dequantised, by name. */
export interface LoadedTfjsModel {
  json: TfGraphModelJson;
  weights: Map<string, ConstTensor>;
}

/** Parses model.json (already read) and decodes the weights from the shard buffers in manifest order. */
export function decodeTfjsModel(json: TfGraphModelJson, readShard: (relPath: string) => Uint8Array): LoadedTfjsModel {
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.modelTopology.node)) {
    throw new TfjsModelError('model.json has no modelTopology.node: not a TF.js graph model');
  }
  if (json.format !== undefined && json.format !== 'graph-model') throw new TfjsModelError(`model.json format is "${json.format}", expected "graph-model"`);
  const weights = new Map<string, ConstTensor>();
  for (const group of json.weightsManifest ?? []) {
    const shards = group.paths.map((p) => readShard(p));
    const total = shards.reduce((a, s) => a + s.byteLength, 0);
    const all = new Uint8Array(total);
    let o = 0;
    for (const s of shards) { all.set(s, o); o += s.byteLength; }
    let offset = 0;
    for (const w of group.weights) {
      const n = w.shape.reduce((a, b) => a * b, 1) * bytesPerStored(w);
      if (offset + n > total) {
        throw new TfjsModelError(`weight shard(s) ${group.paths.join(', ')} truncated: weight "${w.name}" needs bytes ${offset}..${offset + n} but only ${total} are present`);
      }
      weights.set(w.name, decodeWeight(w, all.subarray(offset, offset + n)));
      offset += n;
    }
    if (offset !== total) throw new TfjsModelError(`weight shard(s) ${group.paths.join(', ')} hold ${total} bytes but the manifest describes ${offset}`);
  }
  return { json, weights };
}
