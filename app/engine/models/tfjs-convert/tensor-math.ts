import type { ConstTensor } from './tfjs-model';

/**
 * Plain-JS tensor arithmetic on constants: broadcasting, transposes (TF's HWIO / NHWC to ONNX's OIHW /
 * NCHW) and the element-wise ops used by constant folding. Float results are rounded to float32 after every
 * op, as TF computes them.
 */

export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** NumPy/TF broadcasting of two static shapes; undefined when they are incompatible. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

const strides = (shape: readonly number[]): number[] => {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = (s[i + 1] ?? 1) * (shape[i + 1] ?? 1);
  return s;
};

/** out[...] = data[perm-ed index]; `perm[i]` is the source axis of output axis i (numpy.transpose). */
export function transpose<T extends Float32Array | Int32Array>(data: T, shape: readonly number[], perm: readonly number[]): { data: T; shape: number[] } {
  const outShape = perm.map((p) => shape[p] ?? 1);
  const inStrides = strides(shape);
  const permStrides = perm.map((p) => inStrides[p] ?? 0);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const rank = outShape.length;
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < data.length; o++) {
    let src = 0;
    for (let k = 0; k < rank; k++) src += (idx[k] ?? 0) * (permStrides[k] ?? 0);
    out[o] = data[src] ?? 0;
    for (let k = rank - 1; k >= 0; k--) {
      idx[k] = (idx[k] ?? 0) + 1;
      if ((idx[k] ?? 0) < (outShape[k] ?? 1)) break;
      idx[k] = 0;
    }
  }
  return { data: out, shape: outShape };
}

function broadcastIndexer(shape: readonly number[], outShape: readonly number[]): (flat: number) => number {
  const rank = outShape.length;
  const padded = [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const inStrides = strides(padded).map((s, i) => ((padded[i] ?? 1) === 1 ? 0 : s));
  const outStrides = strides(outShape);
  return (flat) => {
    let src = 0;
    let rest = flat;
    for (let k = 0; k < rank; k++) {
      const q = Math.floor(rest / (outStrides[k] ?? 1));
      rest -= q * (outStrides[k] ?? 1);
      src += q * (inStrides[k] ?? 0);
    }
    return src;
  };
}

export type BinaryFn = (a: number, b: number) => number;
export type UnaryFn = (a: number) => number;

export const BINARY: Record<string, BinaryFn> = {
  Add: (a, b) => a + b,
  AddV2: (a, b) => a + b,
  BiasAdd: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  RealDiv: (a, b) => a / b,
  Maximum: (a, b) => Math.max(a, b),
  Minimum: (a, b) => Math.min(a, b),
};

export const UNARY: Record<string, UnaryFn> = {
  Identity: (a) => a,
  Relu: (a) => Math.max(a, 0),
  Relu6: (a) => Math.min(Math.max(a, 0), 6),
  Sigmoid: (a) => 1 / (1 + Math.exp(-a)),
  Tanh: (a) => Math.tanh(a),
  Neg: (a) => -a,
  Sqrt: (a) => Math.sqrt(a),
  Rsqrt: (a) => 1 / Math.sqrt(a),
  Square: (a) => a * a,
};

export function foldBinary(fn: BinaryFn, a: ConstTensor, b: ConstTensor): ConstTensor | undefined {
  const shape = broadcastShape(a.shape, b.shape);
  if (!shape) return undefined;
  const n = size(shape);
  const ia = broadcastIndexer(a.shape, shape);
  const ib = broadcastIndexer(b.shape, shape);
  const isInt = a.dtype === 'int32' && b.dtype === 'int32';
  const out = isInt ? new Int32Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = fn(a.data[ia(i)] ?? 0, b.data[ib(i)] ?? 0);
  return { dtype: isInt ? 'int32' : 'float32', shape, data: out };
}

export function foldUnary(fn: UnaryFn, a: ConstTensor): ConstTensor {
  const out = new Float32Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = fn(a.data[i] ?? 0);
  return { dtype: 'float32', shape: [...a.shape], data: out };
}

/** NHWC axis -> NCHW axis for rank-4 activations. */
export const NHWC_TO_NCHW_AXIS = [0, 2, 3, 1] as const;
/** numpy.transpose permutation taking an NHWC array to NCHW. */
export const NHWC_TO_NCHW_PERM = [0, 3, 1, 2] as const;
export const toPhysicalShape = (logical: readonly number[]): number[] =>
  (logical.length === 4 ? NHWC_TO_NCHW_PERM.map((p) => logical[p] ?? 1) : [...logical]);
