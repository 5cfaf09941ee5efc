import { Attrs, ConvertError, nodeLabel } from './tfjs-attrs';
import type { ConstTensor, TfNode } from './tfjs-model';
import type { OnnxGraphBuilder } from './onnx-graph-builder';
import { NHWC_TO_NCHW_PERM, toPhysicalShape, transpose } from './tensor-math';

/**
 * One tensor during conversion. Layout rule: every rank-4 activation is NHWC in TF terms (its `shape` here) and
 * NCHW in the ONNX graph; lower ranks keep their order. Constants stay in TF layout until an op uses them as data.
 */
export interface Value {
  /** Static TF (logical) shape; rank-4 means NHWC. */
  shape: number[];
  /** ONNX tensor name when the value exists in the graph (absent for constants not yet materialised). */
  onnx?: string;
  /** The value when it is a constant (weights, folded subgraphs). */
  konst?: ConstTensor;
}

/** Fixed-size resize nodes met on the way, and how to rewrite them for another input size. */
export interface ResizePlan {
  /** Recorded in the pass at the graph's own input size: node -> [in H, in W, out H, out W]. */
  recorded: Map<string, [number, number, number, number]>;
  /** true while converting at another input size: sizes are rescaled by the recorded ratio. */
  rewrite: boolean;
}

/** What op handlers see: the TF node, its input values, the ONNX graph being built and the resize plan. */
export class OpContext {
  constructor(
    readonly node: TfNode,
    readonly b: OnnxGraphBuilder,
    readonly inputs: Value[],
    readonly resize: ResizePlan,
  ) {}

  get label(): string {
    return nodeLabel(this.node);
  }

  fail(message: string): never {
    throw new ConvertError(`${this.label}: ${message}`);
  }

  attrs(known: readonly string[]): Attrs {
    return new Attrs(this.node, known);
  }

  input(i: number): Value {
    const v = this.inputs[i];
    if (!v) this.fail(`expects at least ${i + 1} inputs`);
    return v;
  }

  konst(i: number, what = `input ${i}`): ConstTensor {
    const v = this.input(i);
    if (!v.konst) this.fail(`${what} must be a constant`);
    return v.konst;
  }

  /** Integer values of a constant input (axes, sizes, paddings). */
  ints(i: number, what?: string): number[] {
    return Array.from(this.konst(i, what).data, Number);
  }

  /** ONNX name of a non-constant input (activations), with its shape. */
  activation(i: number): { name: string; shape: number[] } {
    const v = this.input(i);
    if (v.konst || !v.onnx) this.fail(`input ${i} must be a computed tensor, not a constant`);
    return { name: v.onnx, shape: v.shape };
  }

  /**
   * ONNX name of input i as data for an element-wise op whose other operand has rank `rank`: constants are
   * materialised broadcast-compatible in physical layout (right-aligned, then NHWC -> NCHW for rank 4).
   */
  data(i: number, rank: number): string {
    const v = this.input(i);
    if (!v.konst) {
      if (!v.onnx) this.fail(`input ${i} has no value`);
      if (v.shape.length !== rank && v.shape.length !== 0) this.fail(`mixing ranks ${v.shape.length} and ${rank} between computed tensors is not supported`);
      return v.onnx;
    }
    const k = v.konst;
    if (k.dtype !== 'float32') this.fail(`input ${i}: int32 data constants are not supported`);
    if (k.shape.length === 0 || k.shape.length > rank) {
      if (k.shape.length > rank) this.fail(`constant input ${i} has rank ${k.shape.length} > ${rank}`);
      return this.b.addInitializer(`${this.node.name}/c${i}`, { dtype: 'float32', dims: [], data: Float32Array.from(k.data) });
    }
    const padded = [...new Array<number>(rank - k.shape.length).fill(1), ...k.shape];
    if (rank === 4) {
      const t = transpose(Float32Array.from(k.data), padded, NHWC_TO_NCHW_PERM);
      return this.b.addInitializer(`${this.node.name}/c${i}`, { dtype: 'float32', dims: t.shape, data: t.data });
    }
    return this.b.addInitializer(`${this.node.name}/c${i}`, { dtype: 'float32', dims: padded, data: Float32Array.from(k.data) });
  }

  /** Adds an ONNX node for a logical (TF) output shape and returns the produced Value. */
  emit(op: string, inputs: readonly string[], logicalShape: number[], attrs: Parameters<OnnxGraphBuilder['addNode']>[4] = {}, suffix = ''): Value {
    const name = this.b.unique(`${this.node.name}${suffix}`);
    this.b.addNode(op, inputs, name, toPhysicalShape(logicalShape), attrs);
    return { shape: logicalShape, onnx: name };
  }
}

export type OpHandler = (ctx: OpContext) => Value[];

/** Activations that TF fuses into convolutions, also used standalone. */
export function emitActivation(ctx: OpContext, kind: string, x: Value, alpha?: number): Value {
  const input = x.onnx ?? ctx.fail('activation on a constant');
  switch (kind) {
    case 'Relu': return ctx.emit('Relu', [input], x.shape, {}, '/relu');
    case 'Relu6': {
      const lo = ctx.b.float(`${ctx.node.name}/relu6_min`, 0);
      const hi = ctx.b.float(`${ctx.node.name}/relu6_max`, 6);
      return ctx.emit('Clip', [input, lo, hi], x.shape, {}, '/relu6');
    }
    case 'Sigmoid': return ctx.emit('Sigmoid', [input], x.shape, {}, '/sigmoid');
    case 'Tanh': return ctx.emit('Tanh', [input], x.shape, {}, '/tanh');
    case 'Elu': return ctx.emit('Elu', [input], x.shape, { alpha: { float: 1 } }, '/elu');
    case 'LeakyRelu': return ctx.emit('LeakyRelu', [input], x.shape, { alpha: { float: alpha ?? 0.2 } }, '/leakyrelu');
    default: return ctx.fail(`activation ${kind} is not supported`);
  }
}
