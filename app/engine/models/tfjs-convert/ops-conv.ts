import { emitActivation, type OpContext, type OpHandler, type Value } from './convert-context';
import type { Attrs } from './tfjs-attrs';
import type { ConstTensor } from './tfjs-model';
import { transpose } from './tensor-math';

/**
 * Convolutions and pooling. TF's SAME padding is turned into explicit ONNX pads computed from the static
 * input shape (TF puts the odd pixel at the end), so every output shape is known exactly.
 */

const CONV_ATTRS = ['data_format', 'strides', 'padding', 'explicit_paddings', 'dilations', 'use_cudnn_on_gpu', 'fused_ops', 'num_args', 'epsilon', 'leakyrelu_alpha'];

interface Axis { before: number; after: number; out: number }

/** One spatial axis of a TF convolution/pool: output size and padding. */
export function tfPadding(ctx: OpContext, padding: string, inSize: number, k: number, s: number, d: number, explicit?: [number, number]): Axis {
  const keff = (k - 1) * d + 1;
  if (padding === 'SAME') {
    const out = Math.ceil(inSize / s);
    const total = Math.max((out - 1) * s + keff - inSize, 0);
    return { before: Math.floor(total / 2), after: total - Math.floor(total / 2), out };
  }
  if (padding === 'VALID') return { before: 0, after: 0, out: Math.floor((inSize - keff) / s) + 1 };
  if (padding === 'EXPLICIT' && explicit) {
    const [b, a] = explicit;
    return { before: b, after: a, out: Math.floor((inSize + b + a - keff) / s) + 1 };
  }
  return ctx.fail(`padding ${padding} is not supported`);
}

interface Geometry { pads: number[]; strides: number[]; dilations: number[]; outH: number; outW: number }

function geometry(ctx: OpContext, a: Attrs, inShape: number[], kh: number, kw: number): Geometry {
  a.requireNhwc();
  const st = a.ints('strides', [1, 1, 1, 1]);
  const dl = a.ints('dilations', [1, 1, 1, 1]);
  if (st[0] !== 1 || st[3] !== 1 || dl[0] !== 1 || dl[3] !== 1) ctx.fail('strides/dilations on batch or channel axes are not supported');
  const padding = a.string('padding');
  const ex = a.ints('explicit_paddings', []);
  const h = tfPadding(ctx, padding, inShape[1] ?? 0, kh, st[1] ?? 1, dl[1] ?? 1, ex.length === 8 ? [ex[2] ?? 0, ex[3] ?? 0] : undefined);
  const w = tfPadding(ctx, padding, inShape[2] ?? 0, kw, st[2] ?? 1, dl[2] ?? 1, ex.length === 8 ? [ex[4] ?? 0, ex[5] ?? 0] : undefined);
  if (h.out <= 0 || w.out <= 0) ctx.fail(`output would be empty (input ${inShape.join('x')}, kernel ${kh}x${kw})`);
  return { pads: [h.before, w.before, h.after, w.after], strides: [st[1] ?? 1, st[2] ?? 1], dilations: [dl[1] ?? 1, dl[2] ?? 1], outH: h.out, outW: w.out };
}

/** Folds inference batch norm (scale, offset, mean, variance) into conv weights (last axis = out channel). */
function foldBatchNorm(ctx: OpContext, w: Float32Array, outCh: number, args: ConstTensor[], eps: number): Float32Array {
  const [scale, offset, mean, variance] = args;
  if (!scale || !offset || !mean || !variance) return ctx.fail('FusedBatchNorm needs 4 arguments');
  const bias = new Float32Array(outCh);
  for (let c = 0; c < outCh; c++) {
    const f = Math.fround((scale.data[c] ?? 1) / Math.sqrt((variance.data[c] ?? 1) + eps));
    for (let i = c; i < w.length; i += outCh) w[i] = Math.fround((w[i] ?? 0) * f);
    bias[c] = Math.fround((offset.data[c] ?? 0) - (mean.data[c] ?? 0) * f);
  }
  return bias;
}

/** Shared body of Conv2D / DepthwiseConv2dNative and their fused forms. */
function convolution(ctx: OpContext, depthwise: boolean, fused: boolean): Value[] {
  const a = ctx.attrs(CONV_ATTRS);
  const x = ctx.activation(0);
  const filter = ctx.konst(1, 'filter');
  if (filter.shape.length !== 4) ctx.fail(`filter must be rank 4, got ${filter.shape.join('x')}`);
  const [kh = 1, kw = 1, fi = 1, fo = 1] = filter.shape;
  const inCh = x.shape[3] ?? 0;
  const g = geometry(ctx, a, x.shape, kh, kw);
  const w = Float32Array.from(filter.data);
  const outCh = depthwise ? fi * fo : fo;
  if (depthwise ? fi !== inCh : inCh % fi !== 0) ctx.fail(`filter ${filter.shape.join('x')} does not fit ${inCh} input channels`);
  const group = depthwise ? inCh : inCh / fi;
  if (!depthwise && fo % group !== 0) ctx.fail(`filter ${filter.shape.join('x')}: ${fo} outputs not divisible by ${group} groups`);
  let bias: Float32Array | undefined;
  let activation: string | undefined;
  if (fused) {
    const ops = a.strings('fused_ops');
    const numArgs = a.int('num_args', ctx.inputs.length - 2);
    const args = ctx.inputs.slice(2, 2 + numArgs).map((_, i) => ctx.konst(2 + i, `fused argument ${i}`));
    const [first, second, ...rest] = ops;
    if (rest.length) ctx.fail(`fused_ops [${ops.join(', ')}] is not supported`);
    if (first === 'BiasAdd') {
      const b = args[0];
      if (numArgs !== 1 || !b || b.data.length !== outCh) ctx.fail(`BiasAdd needs one bias of ${outCh} values`);
      bias = Float32Array.from(b.data);
    } else if (first === 'FusedBatchNorm') {
      if (numArgs !== 4) ctx.fail('FusedBatchNorm needs num_args 4');
      // depthwise weights are [kh,kw,C,M]: the output channel c*M+m is also the fastest-varying pair here
      bias = foldBatchNorm(ctx, w, outCh, args, a.float('epsilon', 0.001));
    } else if (first !== undefined) {
      ctx.fail(`fused op ${first} is not supported`);
    }
    if (second !== undefined && !['Relu', 'Relu6', 'Sigmoid', 'Tanh', 'Elu', 'LeakyRelu'].includes(second)) ctx.fail(`fused activation ${second} is not supported`);
    activation = second;
  }
  const physical = depthwise
    ? { data: transpose(w, [kh, kw, fi, fo], [2, 3, 0, 1]).data, shape: [fi * fo, 1, kh, kw] }
    : transpose(w, [kh, kw, fi, fo], [3, 2, 0, 1]);
  const wName = ctx.b.addInitializer(`${ctx.node.name}/weights`, { dtype: 'float32', dims: physical.shape, data: physical.data });
  const inputs = [x.name, wName];
  if (bias) inputs.push(ctx.b.addInitializer(`${ctx.node.name}/bias`, { dtype: 'float32', dims: [outCh], data: bias }));
  const shape = [x.shape[0] ?? 1, g.outH, g.outW, outCh];
  const conv = ctx.emit('Conv', inputs, shape, { kernel_shape: [kh, kw], pads: g.pads, strides: g.strides, dilations: g.dilations, group }, activation ? '/conv' : '');
  return [activation ? emitActivation(ctx, activation, conv, a.float('leakyrelu_alpha', 0.2)) : conv];
}

/** Conv2DBackpropInput (transposed convolution) with a constant output size. */
const conv2dBackpropInput: OpHandler = (ctx) => {
  const a = ctx.attrs(CONV_ATTRS);
  const outSize = ctx.ints(0, 'input_sizes');
  const filter = ctx.konst(1, 'filter');
  const x = ctx.activation(2);
  const [kh = 1, kw = 1, oc = 1, ic = 1] = filter.shape;
  if (ic !== x.shape[3]) ctx.fail(`filter ${filter.shape.join('x')} does not fit ${x.shape[3]} input channels`);
  a.requireNhwc();
  const st = a.ints('strides', [1, 1, 1, 1]);
  const dl = a.ints('dilations', [1, 1, 1, 1]);
  if (dl.some((d) => d !== 1)) ctx.fail('dilated transposed convolution is not supported');
  const padding = a.string('padding');
  const axis = (i: 1 | 2, k: number) => {
    const fwd = tfPadding(ctx, padding, outSize[i] ?? 0, k, st[i] ?? 1, 1);
    if (fwd.out !== x.shape[i]) ctx.fail(`input_sizes ${outSize.join('x')} do not match the input ${x.shape.join('x')}`);
    const natural = ((x.shape[i] ?? 0) - 1) * (st[i] ?? 1) + k - fwd.before - fwd.after;
    return { before: fwd.before, after: fwd.after, extra: (outSize[i] ?? 0) - natural };
  };
  const h = axis(1, kh);
  const w = axis(2, kw);
  if (h.extra < 0 || w.extra < 0) ctx.fail('output size smaller than the transposed convolution produces');
  const physical = transpose(Float32Array.from(filter.data), [kh, kw, oc, ic], [3, 2, 0, 1]);
  const wName = ctx.b.addInitializer(`${ctx.node.name}/weights`, { dtype: 'float32', dims: physical.shape, data: physical.data });
  const shape = [x.shape[0] ?? 1, outSize[1] ?? 0, outSize[2] ?? 0, oc];
  return [ctx.emit('ConvTranspose', [x.name, wName], shape, {
    kernel_shape: [kh, kw], strides: [st[1] ?? 1, st[2] ?? 1], pads: [h.before, w.before, h.after, w.after], output_padding: [h.extra, w.extra],
  })];
};

function pool(op: 'MaxPool' | 'AveragePool'): OpHandler {
  return (ctx) => {
    const a = ctx.attrs(['data_format', 'ksize', 'strides', 'padding', 'explicit_paddings']);
    const x = ctx.activation(0);
    const k = a.ints('ksize');
    if (k[0] !== 1 || k[3] !== 1) ctx.fail('pooling over batch or channels is not supported');
    const g = geometry(ctx, a, x.shape, k[1] ?? 1, k[2] ?? 1);
    const shape = [x.shape[0] ?? 1, g.outH, g.outW, x.shape[3] ?? 0];
    const attrs = { kernel_shape: [k[1] ?? 1, k[2] ?? 1], pads: g.pads, strides: g.strides, ...(op === 'AveragePool' ? { count_include_pad: 0 } : {}) };
    return [ctx.emit(op, [x.name], shape, attrs)];
  };
}

export const convOps: Record<string, OpHandler> = {
  Conv2D: (ctx) => convolution(ctx, false, false),
  _FusedConv2D: (ctx) => convolution(ctx, false, true),
  FusedConv2D: (ctx) => convolution(ctx, false, true),
  DepthwiseConv2dNative: (ctx) => convolution(ctx, true, false),
  DepthwiseConv2d: (ctx) => convolution(ctx, true, false),
  FusedDepthwiseConv2dNative: (ctx) => convolution(ctx, true, true),
  Conv2DBackpropInput: conv2dBackpropInput,
  MaxPool: pool('MaxPool'),
  AvgPool: pool('AveragePool'),
};
