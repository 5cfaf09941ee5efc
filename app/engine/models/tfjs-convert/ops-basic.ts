import { emitActivation, type OpContext, type OpHandler, type Value } from './convert-context';
import { broadcastShape, NHWC_TO_NCHW_AXIS } from './tensor-math';

/**
 * Element-wise ops, activations, concatenation, reductions, padding and resizing. Axis attributes and
 * constant operands are mapped from TF's NHWC to the ONNX graph's NCHW here.
 */

const ONNX_BINARY: Record<string, string> = { Add: 'Add', AddV2: 'Add', BiasAdd: 'Add', Sub: 'Sub', Mul: 'Mul', RealDiv: 'Div', Maximum: 'Max', Minimum: 'Min' };

const binary: OpHandler = (ctx) => {
  const op = ctx.node.op === 'BiasAdd' ? 'BiasAdd' : ctx.node.op;
  const a = ctx.attrs(op === 'BiasAdd' ? ['data_format'] : ['incompatible_shape_error']);
  if (op === 'BiasAdd') a.requireNhwc();
  const x = ctx.input(0);
  const y = ctx.input(1);
  const shape = broadcastShape(x.shape, y.shape) ?? ctx.fail(`shapes ${x.shape.join('x')} and ${y.shape.join('x')} do not broadcast`);
  const onnxOp = ONNX_BINARY[op] ?? ctx.fail('unknown binary op');
  return [ctx.emit(onnxOp, [ctx.data(0, shape.length), ctx.data(1, shape.length)], shape)];
};

const unary: OpHandler = (ctx) => {
  const a = ctx.attrs(['alpha']);
  return [emitActivation(ctx, ctx.node.op, ctx.input(0), a.float('alpha', 0.2))];
};

const simpleUnary = (onnxOp: string): OpHandler => (ctx) => {
  ctx.attrs([]);
  const x = ctx.activation(0);
  return [ctx.emit(onnxOp, [x.name], x.shape)];
};

const identity: OpHandler = (ctx) => {
  ctx.attrs(['message', 'debug_name']);
  return [ctx.input(0)];
};

/** Maps a TF axis of a tensor of the given rank to the ONNX graph's axis. */
function physicalAxis(ctx: OpContext, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) ctx.fail(`axis ${axis} out of range for rank ${rank}`);
  return rank === 4 ? (NHWC_TO_NCHW_AXIS[a] ?? a) : a;
}

const concat: OpHandler = (ctx) => {
  ctx.attrs([]);
  const n = ctx.inputs.length - 1;
  const parts = ctx.inputs.slice(0, n);
  const rank = parts[0]?.shape.length ?? 0;
  const [axisRaw = 0] = ctx.ints(n, 'axis');
  const axis = axisRaw < 0 ? axisRaw + rank : axisRaw;
  const shape = [...(parts[0]?.shape ?? [])];
  shape[axis] = 0;
  for (const [i, p] of parts.entries()) {
    if (p.shape.length !== rank || p.shape.some((d, k) => k !== axis && d !== shape[k])) {
      ctx.fail(`input ${i} shape ${p.shape.join('x')} does not match ${parts[0]?.shape.join('x')} outside axis ${axis}`);
    }
    shape[axis] = (shape[axis] ?? 0) + (p.shape[axis] ?? 0);
  }
  return [ctx.emit('Concat', parts.map((_, i) => ctx.data(i, rank)), shape, { axis: physicalAxis(ctx, axis, rank) })];
};

const mean: OpHandler = (ctx) => {
  const a = ctx.attrs(['keep_dims']);
  const x = ctx.activation(0);
  const rank = x.shape.length;
  const axes = [...new Set(ctx.ints(1, 'reduction_indices').map((v) => (v < 0 ? v + rank : v)))].sort();
  const keep = a.bool('keep_dims');
  const shape = x.shape.flatMap((d, i) => (axes.includes(i) ? (keep ? [1] : []) : [d]));
  if (rank === 4 && keep && axes.join() === '1,2') return [ctx.emit('GlobalAveragePool', [x.name], shape)];
  if (rank === 4 && !keep && axes.join() !== '1,2') ctx.fail(`Mean over axes ${axes.join(',')} without keep_dims is not supported`);
  const physical = axes.map((ax) => physicalAxis(ctx, ax, rank)).sort();
  return [ctx.emit('ReduceMean', [x.name], shape, { axes: physical, keepdims: keep ? 1 : 0 })];
};

const pad: OpHandler = (ctx) => {
  ctx.attrs(['mode']);
  const x = ctx.activation(0);
  const p = ctx.ints(1, 'paddings');
  const rank = x.shape.length;
  if (p.length !== 2 * rank) ctx.fail(`paddings must be ${rank}x2`);
  const value = ctx.node.op === 'PadV2' ? (ctx.konst(2, 'constant_values').data[0] ?? 0) : 0;
  const before: number[] = [];
  const after: number[] = [];
  const order = rank === 4 ? [0, 3, 1, 2] : [...x.shape.keys()];
  for (const ax of order) { before.push(p[2 * ax] ?? 0); after.push(p[2 * ax + 1] ?? 0); }
  if ([...before, ...after].some((v) => v < 0)) ctx.fail('negative padding is not supported');
  const shape = x.shape.map((d, i) => d + (p[2 * i] ?? 0) + (p[2 * i + 1] ?? 0));
  const pads = ctx.b.int64(`${ctx.node.name}/pads`, [...before, ...after]);
  const cv = ctx.b.float(`${ctx.node.name}/value`, value);
  return [ctx.emit('Pad', [x.name, pads, cv], shape, { mode: 'constant' })];
};

/** ResizeBilinear / ResizeNearestNeighbor with a constant size, rewritten for other input sizes. */
const resize = (bilinear: boolean): OpHandler => (ctx) => {
  const a = ctx.attrs(['align_corners', 'half_pixel_centers']);
  const x = ctx.activation(0);
  if (x.shape.length !== 4) ctx.fail('resize needs a rank-4 NHWC input');
  let [oh = 0, ow = 0] = ctx.ints(1, 'size');
  const [, ih = 0, iw = 0] = x.shape;
  if (!ctx.resize.rewrite) {
    ctx.resize.recorded.set(ctx.node.name, [ih, iw, oh, ow]);
  } else {
    const r = ctx.resize.recorded.get(ctx.node.name) ?? ctx.fail('no size recorded at the original input size');
    const [rih, riw, roh, row] = r;
    oh = (ih * roh) / rih;
    ow = (iw * row) / riw;
    if (!Number.isInteger(oh) || !Number.isInteger(ow)) ctx.fail(`cannot rescale ${rih}x${riw}->${roh}x${row} to an input of ${ih}x${iw}`);
  }
  const alignCorners = a.bool('align_corners');
  const halfPixel = a.bool('half_pixel_centers');
  if (alignCorners && halfPixel) ctx.fail('align_corners and half_pixel_centers together are invalid');
  const mode: Record<string, string> = bilinear
    ? { mode: 'linear', coordinate_transformation_mode: alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric' }
    : alignCorners
      ? { mode: 'nearest', coordinate_transformation_mode: 'align_corners', nearest_mode: 'round_prefer_ceil' }
      : (halfPixel ? { mode: 'nearest', coordinate_transformation_mode: 'half_pixel', nearest_mode: 'round_prefer_ceil' } : { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
  const shape = [x.shape[0] ?? 1, oh, ow, x.shape[3] ?? 0];
  const sizes = ctx.b.int64(`${ctx.node.name}/sizes`, [shape[0] ?? 1, shape[3] ?? 0, oh, ow]);
  return [ctx.emit('Resize', [x.name, '', '', sizes], shape, mode)];
};

/** Inference-mode FusedBatchNorm on an activation: y = x * f + (offset - mean * f). */
const batchNorm: OpHandler = (ctx) => {
  const a = ctx.attrs(['epsilon', 'data_format', 'is_training', 'exponential_avg_factor', 'U']);
  a.requireNhwc();
  if (a.bool('is_training')) ctx.fail('training-mode batch norm is not supported');
  const x = ctx.activation(0);
  const [scale, offset, meanC, variance] = [1, 2, 3, 4].map((i) => ctx.konst(i));
  const eps = a.float('epsilon', 0.001);
  const c = x.shape[x.shape.length - 1] ?? 0;
  const f = new Float32Array(c);
  const b = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    f[i] = (scale?.data[i] ?? 1) / Math.sqrt((variance?.data[i] ?? 1) + eps);
    b[i] = (offset?.data[i] ?? 0) - (meanC?.data[i] ?? 0) * (f[i] ?? 0);
  }
  const dims = x.shape.length === 4 ? [c, 1, 1] : [c];
  const fName = ctx.b.addInitializer(`${ctx.node.name}/scale`, { dtype: 'float32', dims, data: f });
  const bName = ctx.b.addInitializer(`${ctx.node.name}/offset`, { dtype: 'float32', dims, data: b });
  const mul: Value = ctx.emit('Mul', [x.name, fName], x.shape, {}, '/mul');
  return [ctx.emit('Add', [mul.onnx ?? '', bName], x.shape)];
};

export const basicOps: Record<string, OpHandler> = {
  Identity: identity,
  Snapshot: identity,
  StopGradient: identity,
  ...Object.fromEntries(Object.keys(ONNX_BINARY).map((k) => [k, binary])),
  Relu: unary,
  Relu6: unary,
  Sigmoid: unary,
  Tanh: unary,
  Elu: unary,
  LeakyRelu: unary,
  Neg: simpleUnary('Neg'),
  Sqrt: simpleUnary('Sqrt'),
  Exp: simpleUnary('Exp'),
  ConcatV2: concat,
  Mean: mean,
  Pad: pad,
  PadV2: pad,
  ResizeBilinear: resize(true),
  ResizeNearestNeighbor: resize(false),
  FusedBatchNorm: batchNorm,
  FusedBatchNormV3: batchNorm,
};
