import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { ortWarnings } from '../../../../test/support/ort-shape-check';
import { attr, maxAbsDiff, nhwcToNchw, runOrt, runTfjs, seeded, TestGraph } from '../../../../test/support/tfjs-graph-builder';
import { convertTfjsGraph, type ConvertOptions } from './convert-graph';
import { decodeTfjsModel } from './tfjs-model';

/**
 * Op-by-op equivalence: small graphs written here run in TF.js (the reference) and, converted, in ONNX
 * Runtime. Inputs have odd sizes so TF's asymmetric SAME padding is exercised. Every converted model is also
 * opened once more with ORT's warnings captured: a shape the converter recorded wrongly fails the suite.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-convert-'));
const written: string[] = [];
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SHAPE = [1, 13, 11, 4];
const conv = { data_format: attr.s('NHWC'), dilations: attr.ints([1, 1, 1, 1]), explicit_paddings: attr.ints([]) };
const strides = (s: number) => attr.ints([1, s, s, 1]);

function randomInput(shape: number[], seed = 7): Float32Array {
  const r = seeded(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r(-2, 2));
}

/** Converts, runs both engines and returns the worst absolute error relative to the output's magnitude. */
async function compare(g: TestGraph, outputs: string[], opts: Partial<ConvertOptions> = {}, shape = SHAPE, reference?: TestGraph): Promise<{ rel: number; ops: Record<string, number> }> {
  const x = randomInput(shape);
  const ref = reference ?? g;
  const expected = await runTfjs(ref.json(), ref.shard(), x, shape, outputs);
  const model = decodeTfjsModel(g.json(), () => g.shard());
  const layout = opts.inputLayout ?? 'nhwc';
  const result = convertTfjsGraph(model, { outputs: outputs.map((tf, i) => ({ tf, name: `out${i}` })), inputLayout: layout, outputLayout: 'nhwc', ...opts });
  const file = path.join(tmp, `m${written.length}.onnx`);
  fs.writeFileSync(file, result.onnx);
  written.push(file);
  const [n = 1, h = 1, w = 1, c = 1] = shape;
  const feed = layout === 'nhwc' ? x : nhwcToNchw(x, n, h, w, c);
  const got = await runOrt(result.onnx, result.input.name, feed, result.input.shape);
  let rel = 0;
  expected.forEach((e, i) => {
    const o = got[`out${i}`];
    expect(o?.dims).toEqual(result.outputs[i]?.shape);
    const { diff, scale } = maxAbsDiff(e, o?.data ?? []);
    rel = Math.max(rel, diff / Math.max(1, scale));
  });
  return { rel, ops: result.ops };
}

describe('tfjs-convert: ops against TF.js', () => {
  it('Conv2D (SAME, stride 2) + BiasAdd + Relu6, with NCHW input', async () => {
    const g = new TestGraph(1);
    g.input('x', SHAPE);
    g.op('conv', 'Conv2D', ['x', g.const('w', [3, 3, 4, 8])], { ...conv, strides: strides(2), padding: attr.s('SAME') });
    g.op('bias', 'BiasAdd', ['conv', g.const('b', [8])], { data_format: attr.s('NHWC') });
    g.op('act', 'Relu6', ['bias']);
    expect((await compare(g, ['act'], { inputLayout: 'nchw' })).rel).toBeLessThan(1e-5);
  });

  it('_FusedConv2D (VALID, BiasAdd+Relu), dilated Conv2D, float16 and uint8 quantised weights', async () => {
    const g = new TestGraph(2);
    g.input('x', SHAPE);
    g.op('f', '_FusedConv2D', ['x', g.const('w', [5, 3, 4, 6], undefined, 'float16'), g.const('b', [6], undefined, 'uint8')], { ...conv, strides: strides(1), padding: attr.s('VALID'), fused_ops: attr.strs(['BiasAdd', 'Relu']), num_args: attr.i(1), epsilon: attr.f(0) });
    g.op('d', 'Conv2D', ['f', g.const('w2', [3, 3, 6, 5])], { ...conv, strides: strides(1), padding: attr.s('SAME'), dilations: attr.ints([1, 2, 2, 1]) });
    expect((await compare(g, ['d'])).rel).toBeLessThan(1e-5);
  });

  it('DepthwiseConv2dNative (multiplier 2, stride 2) and FusedDepthwiseConv2dNative (BiasAdd+Relu6)', async () => {
    const g = new TestGraph(3);
    g.input('x', SHAPE);
    g.op('dw', 'DepthwiseConv2dNative', ['x', g.const('w', [3, 3, 4, 2])], { ...conv, strides: strides(2), padding: attr.s('SAME') });
    g.op('fdw', 'FusedDepthwiseConv2dNative', ['dw', g.const('w2', [3, 3, 8, 1]), g.const('b', [8])], { ...conv, strides: strides(1), padding: attr.s('SAME'), fused_ops: attr.strs(['BiasAdd', 'Relu6']), num_args: attr.i(1) });
    expect((await compare(g, ['fdw'])).rel).toBeLessThan(1e-5);
  });

  it('hard-swish pattern and broadcasting element-wise ops (scalar, per-channel, activation x activation)', async () => {
    const g = new TestGraph(4);
    g.input('x', SHAPE);
    g.op('m', 'Mul', [g.const('sixth', [], [0.1666259765625]), 'x']);
    g.op('a', 'Add', ['x', g.const('three', [], [3])]);
    g.op('r', 'Relu6', ['a']);
    g.op('hs', 'Mul', ['m', 'r']);
    g.op('s', 'Sub', ['hs', g.const('c1', [4])]);
    g.op('q', 'RealDiv', ['s', g.const('c2', [4], undefined, undefined, 0.5, 2)]);
    g.op('mx', 'Maximum', ['q', g.const('c3', [1, 1, 4])]);
    g.op('mn', 'Minimum', ['mx', g.const('c4', [11, 4])]);
    g.op('v2', 'AddV2', ['mn', 'x']);
    g.op('mean', 'Mean', ['v2', g.ints('axes', [1, 2])], { keep_dims: attr.b(true), Tidx: attr.type('DT_INT32') });
    g.op('se', 'Mul', ['v2', 'mean']);
    expect((await compare(g, ['se'])).rel).toBeLessThan(1e-5);
  });

  it('squeeze-excite block: Mean, 1x1 convs, Sigmoid; channel Mean; Tanh, Elu, LeakyRelu, FusedBatchNormV3', async () => {
    const g = new TestGraph(5);
    g.input('x', SHAPE);
    g.op('mean', 'Mean', ['x', g.ints('axes', [1, 2])], { keep_dims: attr.b(true) });
    g.op('c1', '_FusedConv2D', ['mean', g.const('w1', [1, 1, 4, 2]), g.const('b1', [2])], { ...conv, strides: strides(1), padding: attr.s('SAME'), fused_ops: attr.strs(['BiasAdd', 'Relu']), num_args: attr.i(1) });
    g.op('c2', 'Conv2D', ['c1', g.const('w2', [1, 1, 2, 4])], { ...conv, strides: strides(1), padding: attr.s('SAME') });
    g.op('sig', 'Sigmoid', ['c2']);
    g.op('se', 'Mul', ['x', 'sig']);
    g.op('cm', 'Mean', ['se', g.ints('axes2', [-1])], { keep_dims: attr.b(true) });
    g.op('t', 'Tanh', ['cm']);
    g.op('bn', 'FusedBatchNormV3', ['se', g.const('sc', [4]), g.const('of', [4]), g.const('mu', [4]), g.const('var', [4], undefined, undefined, 0.5, 2)], { epsilon: attr.f(0.001), data_format: attr.s('NHWC'), is_training: attr.b(false), U: attr.type() });
    g.op('elu', 'Elu', ['bn']);
    g.op('lr', 'LeakyRelu', ['elu'], { alpha: attr.f(0.1) });
    expect((await compare(g, ['t', 'lr'])).rel).toBeLessThan(1e-5);
  });

  it('ResizeBilinear (asymmetric, half-pixel, align-corners) and ResizeNearestNeighbor, concatenated', async () => {
    const g = new TestGraph(6);
    g.input('x', SHAPE);
    const size = g.ints('size', [26, 22]);
    g.op('bl', 'ResizeBilinear', ['x', size], { align_corners: attr.b(false), half_pixel_centers: attr.b(false) });
    g.op('nn', 'ResizeNearestNeighbor', ['x', size], { align_corners: attr.b(false), half_pixel_centers: attr.b(false) });
    g.op('cat', 'ConcatV2', ['bl', 'nn', g.ints('axis', [3], [])], { N: attr.i(2) });
    const odd = g.ints('odd', [20, 15]);
    g.op('hp', 'ResizeBilinear', ['x', odd], { align_corners: attr.b(false), half_pixel_centers: attr.b(true) });
    g.op('ac', 'ResizeBilinear', ['x', odd], { align_corners: attr.b(true), half_pixel_centers: attr.b(false) });
    g.op('nhp', 'ResizeNearestNeighbor', ['x', odd], { align_corners: attr.b(false), half_pixel_centers: attr.b(true) });
    g.op('nac', 'ResizeNearestNeighbor', ['x', odd], { align_corners: attr.b(true), half_pixel_centers: attr.b(false) });
    expect((await compare(g, ['cat', 'hp', 'ac', 'nhp', 'nac'])).rel).toBeLessThan(1e-5);
  });

  it('Conv2DBackpropInput (SAME, stride 2) to even and odd output sizes', async () => {
    const g = new TestGraph(7);
    g.input('x', SHAPE);
    g.op('up', 'Conv2DBackpropInput', [g.ints('sz', [1, 26, 22, 6]), g.const('w', [3, 3, 6, 4]), 'x'], { ...conv, strides: strides(2), padding: attr.s('SAME') });
    g.op('up2', 'Conv2DBackpropInput', [g.ints('sz2', [1, 25, 21, 3]), g.const('w2', [4, 4, 3, 4]), 'x'], { ...conv, strides: strides(2), padding: attr.s('SAME') });
    g.op('upv', 'Conv2DBackpropInput', [g.ints('sz3', [1, 27, 23, 2]), g.const('w3', [3, 3, 2, 4]), 'x'], { ...conv, strides: strides(2), padding: attr.s('VALID') });
    expect((await compare(g, ['up', 'up2', 'upv'])).rel).toBeLessThan(1e-5);
  });

  it('Pad, MaxPool/AvgPool (SAME and VALID) and ConcatV2 on the channel axis', async () => {
    const g = new TestGraph(8);
    g.input('x', SHAPE);
    g.op('pad', 'Pad', ['x', g.ints('p', [0, 0, 1, 2, 2, 1, 0, 0], [4, 2])]);
    const pool = (name: string, op: string, padding: string) => g.op(name, op, ['pad'], { data_format: attr.s('NHWC'), ksize: attr.ints([1, 3, 3, 1]), strides: strides(2), padding: attr.s(padding) });
    pool('mp', 'MaxPool', 'SAME');
    pool('ap', 'AvgPool', 'SAME');
    pool('mpv', 'MaxPool', 'VALID');
    g.op('cat', 'ConcatV2', ['mp', 'ap', g.ints('axis', [-1], [])], { N: attr.i(2) });
    expect((await compare(g, ['cat', 'mpv'])).rel).toBeLessThan(1e-5);
  });

  it('folds constant subgraphs and folds a FusedBatchNorm fused into a convolution', async () => {
    const g = new TestGraph(9);
    g.input('x', SHAPE);
    g.op('k', 'Mul', [g.const('a', [4]), g.const('s', [], [0.5])]);
    g.op('k2', 'Identity', ['k']);
    g.op('y', 'Add', ['x', 'k2']);
    const folded = await compare(g, ['y']);
    expect(folded.rel).toBeLessThan(1e-6);
    expect(folded.ops).toEqual({ Add: 1 });

    const bnArgs = () => [g2.const('sc', [5]), g2.const('of', [5]), g2.const('mu', [5]), g2.const('var', [5], undefined, undefined, 0.5, 2)];
    const g2 = new TestGraph(10);
    g2.input('x', SHAPE);
    g2.op('f', '_FusedConv2D', ['x', g2.const('w', [3, 3, 4, 5]), ...bnArgs()], { ...conv, strides: strides(1), padding: attr.s('SAME'), fused_ops: attr.strs(['FusedBatchNorm', 'Relu']), num_args: attr.i(4), epsilon: attr.f(0.001) });
    const ref = new TestGraph(10);
    ref.input('x', SHAPE);
    const w = ref.const('w', [3, 3, 4, 5]);
    const args = [ref.const('sc', [5]), ref.const('of', [5]), ref.const('mu', [5]), ref.const('var', [5], undefined, undefined, 0.5, 2)];
    ref.op('c', 'Conv2D', ['x', w], { ...conv, strides: strides(1), padding: attr.s('SAME') });
    ref.op('bn', 'FusedBatchNormV3', ['c', ...args], { epsilon: attr.f(0.001), data_format: attr.s('NHWC'), is_training: attr.b(false) });
    ref.op('f', 'Relu', ['bn']);
    expect((await compare(g2, ['f'], {}, SHAPE, ref)).rel).toBeLessThan(1e-5);
  });

  it('rewrites fixed resize sizes for another input size', async () => {
    const build = (resize: [number, number], shape: number[]) => {
      const g = new TestGraph(11);
      g.input('x', shape);
      g.op('down', 'Conv2D', ['x', g.const('w', [3, 3, 4, 4])], { ...conv, strides: strides(2), padding: attr.s('SAME') });
      g.op('up', 'ResizeBilinear', ['down', g.ints('size', resize)], { align_corners: attr.b(false), half_pixel_centers: attr.b(false) });
      g.op('cat', 'ConcatV2', ['x', 'up', g.ints('axis', [3], [])], { N: attr.i(2) });
      return g;
    };
    const original = build([16, 12], [1, 16, 12, 4]);
    const target = [1, 24, 20, 4];
    const r = await compare(original, ['cat'], { inputSize: [24, 20] }, target, build([24, 20], target));
    expect(r.rel).toBeLessThan(1e-5);
    const g = decodeTfjsModel(original.json(), () => original.shard());
    // 17 rows: the stride-2 branch has 9, upsampled to 18, which cannot be concatenated with 17
    expect(() => convertTfjsGraph(g, { outputs: [{ tf: 'cat' }], inputSize: [17, 12] })).toThrow(/node "cat" \(op ConcatV2\): input 1 shape 1x18x12x4 does not match 1x17x12x4/);
  });

  it('cuts the graph at the requested outputs; unknown ops and attributes stop with the op and node named', () => {
    const g = new TestGraph(12);
    g.input('x', SHAPE);
    g.op('r', 'Relu', ['x']);
    g.op('tail', 'TopKV2', ['r', g.ints('k', [5], [])], { sorted: attr.b(true) });
    g.op('odd', 'Conv2D', ['x', g.const('w', [1, 1, 4, 4])], { ...conv, strides: strides(1), padding: attr.s('SAME'), frobnicate: attr.b(true) });
    g.op('nchw', 'Conv2D', ['x', g.const('w2', [1, 1, 4, 4])], { ...conv, data_format: attr.s('NCHW'), strides: strides(1), padding: attr.s('SAME') });
    g.op('bad', 'Add', ['x', 'nchw_missing']);
    const m = decodeTfjsModel(g.json(), () => g.shard());
    expect(convertTfjsGraph(m, { outputs: [{ tf: 'r' }] }).ops).toEqual({ Relu: 1 });
    expect(() => convertTfjsGraph(m, { outputs: [{ tf: 'tail' }] })).toThrow('node "tail" (op TopKV2): unsupported op TopKV2');
    expect(() => convertTfjsGraph(m, { outputs: [{ tf: 'odd' }] })).toThrow('node "odd" (op Conv2D): unsupported attribute "frobnicate"');
    expect(() => convertTfjsGraph(m, { outputs: [{ tf: 'nchw' }] })).toThrow(/node "nchw" \(op Conv2D\): data_format NCHW is not supported/);
    expect(() => convertTfjsGraph(m, { outputs: [{ tf: 'bad' }] })).toThrow(/graph has no node "nchw_missing"/);
    const g2 = new TestGraph(13);
    g2.input('x', SHAPE);
    g2.op('p', 'MaxPool', ['x'], { data_format: attr.s('NHWC'), ksize: attr.ints([1, 2, 2, 1]), strides: strides(2), padding: attr.s('VALID') });
    g2.op('sum', 'Add', ['x', 'p']);
    expect(() => convertTfjsGraph(decodeTfjsModel(g2.json(), () => g2.shard()), { outputs: [{ tf: 'sum' }] })).toThrow(/node "sum" \(op Add\): shapes 1x13x11x4 and 1x6x5x4 do not broadcast/);
  });

  it('ONNX Runtime agrees with every recorded shape (no warnings), and the check does catch a wrong one', () => {
    expect(written.length).toBeGreaterThan(8);
    const clean = ortWarnings(written);
    if (clean.warnings.length) console.log(clean.stderr);
    expect(clean.warnings).toEqual([]);
    expect(clean.status).toBe(0);
    const m = onnx.ModelProto.decode(fs.readFileSync(written[0] as string));
    const dim = m.graph?.valueInfo?.[0]?.type?.tensorType?.shape?.dim?.[2];
    if (!dim) throw new Error('no value_info recorded');
    dim.dimValue = 99;
    const bad = path.join(tmp, 'bad.onnx');
    fs.writeFileSync(bad, onnx.ModelProto.encode(m).finish());
    expect(ortWarnings([bad]).warnings.join('\n')).toMatch(/Error merging shape info/);
  });
});
