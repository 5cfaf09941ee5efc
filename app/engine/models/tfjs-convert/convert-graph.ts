import { OpContext, type OpHandler, type ResizePlan, type Value } from './convert-context';
import { OnnxGraphBuilder } from './onnx-graph-builder';
import { basicOps } from './ops-basic';
import { convOps } from './ops-conv';
import { Attrs, ConvertError, nodeLabel, placeholderShape } from './tfjs-attrs';
import type { ConstTensor, LoadedTfjsModel, TfNode } from './tfjs-model';
import { BINARY, foldBinary, foldUnary, toPhysicalShape, UNARY } from './tensor-math';

/**
 * TF.js graph model -> ONNX (opset 13). The graph is cut at the requested outputs (everything they do not
 * depend on, e.g. a TopK/Gather post-processing tail, is dropped), constant subgraphs are folded, and the
 * whole network runs in NCHW: weights are re-laid out once here, so the ONNX graph has no Transpose nodes
 * unless an NHWC input or output is asked for.
 */

export interface ConvertOutput {
  /** TF tensor name (`node` or `node:1`). */
  tf: string;
  /** ONNX output name (default: the TF name). */
  name?: string;
}

export interface ConvertOptions {
  /** Where to cut the graph. */
  outputs: ConvertOutput[];
  /** Model input [height, width]; default the Placeholder's own. Fixed resize sizes are rewritten to match. */
  inputSize?: [number, number];
  /** ONNX input layout: nchw (default, no Transpose) or nhwc (TF's own; a Transpose is inserted). */
  inputLayout?: 'nchw' | 'nhwc';
  /** Layout of rank-4 outputs: nchw (default) or nhwc (a Transpose per output). */
  outputLayout?: 'nchw' | 'nhwc';
  /** ONNX input name (default: the Placeholder's name). */
  inputName?: string;
  /** Free text stored as the model's doc_string. */
  docString?: string;
}

export interface ConvertResult {
  onnx: Uint8Array;
  input: { name: string; shape: number[]; layout: 'nchw' | 'nhwc' };
  outputs: { name: string; shape: number[]; layout: 'nchw' | 'nhwc' }[];
  /** TF op -> count of converted nodes (after the cut). */
  ops: Record<string, number>;
}

const HANDLERS: Record<string, OpHandler> = { ...basicOps, ...convOps };

const parseRef = (ref: string): [string, number] => {
  const m = /^(.*?)(?::(\d+))?$/.exec(ref);
  return [m?.[1] ?? ref, Number(m?.[2] ?? 0)];
};

/** Nodes the outputs depend on, in dependency order (control dependencies ignored). */
function cutGraph(nodes: Map<string, TfNode>, outputs: string[]): TfNode[] {
  const order: TfNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: [string, boolean][] = outputs.map((o) => [parseRef(o)[0], false]);
  stack.reverse();
  while (stack.length) {
    const [name, expanded] = stack.pop() as [string, boolean];
    const node = nodes.get(name);
    if (!node) throw new ConvertError(`graph has no node "${name}"`);
    if (expanded) { state.set(name, 'done'); order.push(node); continue; }
    const s = state.get(name);
    if (s === 'done') continue;
    if (s === 'visiting') throw new ConvertError(`${nodeLabel(node)}: the graph has a cycle`);
    state.set(name, 'visiting');
    stack.push([name, true]);
    const deps = (node.input ?? []).filter((r) => !r.startsWith('^')).map((r) => parseRef(r)[0]);
    for (const d of [...deps].reverse()) if (state.get(d) !== 'done') stack.push([d, false]);
  }
  return order;
}

function tryFold(node: TfNode, inputs: Value[]): ConstTensor | undefined {
  if (!inputs.length || !inputs.every((v) => v.konst)) return undefined;
  const k = inputs.map((v) => v.konst as ConstTensor);
  const u = UNARY[node.op];
  if (u && k.length === 1) return node.op === 'Identity' ? k[0] : foldUnary(u, k[0] as ConstTensor);
  const b = BINARY[node.op];
  if (b && k.length === 2) return foldBinary(b, k[0] as ConstTensor, k[1] as ConstTensor);
  return undefined;
}

interface PassResult { builder: OnnxGraphBuilder; values: Map<string, Value[]>; input: ConvertResult['input'] }

function runPass(model: LoadedTfjsModel, order: TfNode[], opts: ConvertOptions, outputNames: string[], resize: ResizePlan, ops: Record<string, number>): PassResult {
  const b = new OnnxGraphBuilder();
  for (const n of outputNames) b.claim(n);
  const values = new Map<string, Value[]>();
  let input: ConvertResult['input'] | undefined;
  for (const node of order) {
    if (node.op === 'Const') {
      const k = model.weights.get(node.name);
      if (!k) throw new ConvertError(`${nodeLabel(node)}: no weight of that name in the weights manifest`);
      values.set(node.name, [{ shape: k.shape, konst: k }]);
      continue;
    }
    if (node.op === 'Placeholder') {
      if (input) throw new ConvertError(`${nodeLabel(node)}: only one graph input is supported`);
      new Attrs(node, ['shape']);
      const declared = placeholderShape(node) ?? [];
      if (declared.length !== 4 || declared[3] === -1) throw new ConvertError(`${nodeLabel(node)}: input shape [${declared.join(',')}] is not a rank-4 NHWC image`);
      const [h, w] = opts.inputSize ?? [declared[1] ?? -1, declared[2] ?? -1];
      if (h <= 0 || w <= 0) throw new ConvertError(`${nodeLabel(node)}: input size is dynamic; pass inputSize`);
      const shape = [1, h, w, declared[3] ?? 3];
      const name = opts.inputName ?? node.name;
      const layout = opts.inputLayout ?? 'nchw';
      if (layout === 'nchw') {
        b.addInput(name, toPhysicalShape(shape));
        values.set(node.name, [{ shape, onnx: name }]);
      } else {
        b.addInput(name, shape);
        const t = b.unique(`${name}/to_nchw`);
        b.addNode('Transpose', [name], t, toPhysicalShape(shape), { perm: [0, 3, 1, 2] });
        values.set(node.name, [{ shape, onnx: t }]);
      }
      input = { name, shape: layout === 'nchw' ? toPhysicalShape(shape) : shape, layout };
      continue;
    }
    const inputs = (node.input ?? []).filter((r) => !r.startsWith('^')).map((r) => {
      const [src, idx] = parseRef(r);
      const v = values.get(src)?.[idx];
      if (!v) throw new ConvertError(`${nodeLabel(node)}: input "${r}" is not available (multi-output ops are not supported)`);
      return v;
    });
    const folded = tryFold(node, inputs);
    if (folded) { values.set(node.name, [{ shape: folded.shape, konst: folded }]); continue; }
    const handler = HANDLERS[node.op];
    if (!handler) throw new ConvertError(`${nodeLabel(node)}: unsupported op ${node.op}`);
    ops[node.op] = (ops[node.op] ?? 0) + 1;
    values.set(node.name, handler(new OpContext(node, b, inputs, resize)));
  }
  if (!input) throw new ConvertError('the outputs do not depend on any Placeholder input');
  return { builder: b, values, input };
}

export function convertTfjsGraph(model: LoadedTfjsModel, opts: ConvertOptions): ConvertResult {
  if (!opts.outputs.length) throw new ConvertError('no outputs requested');
  const nodes = new Map(model.json.modelTopology.node.map((n) => [n.name, n]));
  const order = cutGraph(nodes, opts.outputs.map((o) => o.tf));
  const outputNames = opts.outputs.map((o) => o.name ?? o.tf);
  if (new Set(outputNames).size !== outputNames.length) throw new ConvertError('output names must be unique');
  const resize: ResizePlan = { recorded: new Map(), rewrite: false };
  const placeholder = order.find((n) => n.op === 'Placeholder');
  const declared = placeholder ? placeholderShape(placeholder) : undefined;
  const resized = opts.inputSize && declared && (opts.inputSize[0] !== declared[1] || opts.inputSize[1] !== declared[2]);
  if (resized && (declared?.[1] ?? -1) > 0 && (declared?.[2] ?? -1) > 0) {
    runPass(model, order, { ...opts, inputSize: undefined }, outputNames, resize, {});
    resize.rewrite = true;
  }
  const ops: Record<string, number> = {};
  const { builder: b, values, input } = runPass(model, order, opts, outputNames, resize, ops);
  const outputs: ConvertResult['outputs'] = [];
  for (const [i, o] of opts.outputs.entries()) {
    const [src, idx] = parseRef(o.tf);
    const v = values.get(src)?.[idx];
    const name = outputNames[i] as string;
    if (!v?.onnx) throw new ConvertError(`output "${o.tf}" is a constant or missing`);
    const nhwc = opts.outputLayout === 'nhwc' && v.shape.length === 4;
    const dims = nhwc ? v.shape : toPhysicalShape(v.shape);
    if (nhwc) b.addNode('Transpose', [v.onnx], name, dims, { perm: [0, 2, 3, 1] });
    else b.addNode('Identity', [v.onnx], name, dims);
    b.addOutput(name, dims);
    outputs.push({ name, shape: dims, layout: v.shape.length === 4 && !nhwc ? 'nchw' : 'nhwc' });
  }
  const sortedOps = Object.fromEntries(Object.entries(ops).sort(([x], [y]) => (x < y ? -1 : 1)));
  return { onnx: b.encode('tfjs_graph', opts.docString ?? ''), input, outputs, ops: sortedOps };
}
