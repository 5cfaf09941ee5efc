import { onnx } from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { ModelManifestSchema } from '../../shared/domain/model';
import { Detector } from './detector';
import { DetectorHolder } from './detector-holder';
import type { FrameDetector } from './detector-pool';
import { createInferenceClient } from './inference-client';
import { newInferenceEndpoint } from './inference-endpoint';
import { InferenceServer } from './inference-server';
import { modelInputSpec } from './model-input-filter';

/**
 * A tiny Ultralytics-layout detector with a DYNAMIC batch dimension, built here with onnx-proto: input
 * images[batch,3,8,8] -> output[batch,5,1] = one box (centre 4,4, size 4x4) whose person score is the frame's mean
 * pixel / 255. So each frame of a batch gets its own score, and a batch mixing frames shows whether results go
 * back to the right camera.
 */
function dynamicBatchModel(): Uint8Array {
  const f = (name: string, dims: number[], data: number[]): onnx.ITensorProto => ({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: data });
  const i64 = (name: string, data: number[]): onnx.ITensorProto => ({ name, dims: [data.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: data });
  const dims = (d: (number | string)[]) => ({ dim: d.map((x) => (typeof x === 'number' ? { dimValue: x } : { dimParam: x })) });
  const model: onnx.IModelProto = {
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'dyn',
      node: [
        { opType: 'ReduceMean', input: ['images'], output: ['m4'], attribute: [{ name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1, 2, 3] }, { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] },
        { opType: 'Reshape', input: ['m4', 'shape3'], output: ['m'] },
        { opType: 'Div', input: ['m', 'k255'], output: ['score'] },
        { opType: 'Mul', input: ['m', 'zeros'], output: ['z'] },
        { opType: 'Add', input: ['z', 'box'], output: ['boxes'] },
        { opType: 'Concat', input: ['boxes', 'score'], output: ['output0'], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] },
      ],
      initializer: [i64('shape3', [-1, 1, 1]), f('k255', [], [255]), f('zeros', [1, 4, 1], [0, 0, 0, 0]), f('box', [1, 4, 1], [4, 4, 4, 4])],
      input: [{ name: 'images', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: dims(['batch', 3, 8, 8]) } } }],
      output: [{ name: 'output0', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: dims(['batch', 5, 1]) } } }],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

const manifest = ModelManifestSchema.parse({
  id: 'dyn',
  name: 'dynamic batch test model',
  file: 'dyn.onnx',
  licence: 'test',
  input: { name: 'images', shape: ['batch', 3, 8, 8], layout: 'nchw', colour: 'rgb', letterbox: 'stretch' },
  decoder: 'ultralytics',
  classes: ['person'],
  thresholds: { score: 0.5 },
});
const frame = (v: number) => new Uint8Array(8 * 8 * 3).fill(v);

describe('models with a dynamic batch dimension', () => {
  it('run several frames in one session run, each result from its own frame', async () => {
    const d = await Detector.create({ manifest, model: dynamicBatchModel() });
    expect(d.maxBatch).toBeGreaterThan(1);
    const rs = await d.detectBatch([255, 0, 204].map((v) => ({ data: frame(v), srcWidth: 8, srcHeight: 8 })));
    expect(rs.map((r) => r.detections.map((x) => Math.round(x.score * 100) / 100))).toEqual([[1], [], [0.8]]);
    await d.dispose();
  });

  it('runs again and again at changing batch sizes, each result from its own frame (the input buffer is reused)', async () => {
    const d = await Detector.create({ manifest, model: dynamicBatchModel() });
    const batches = [[255, 0], [0, 204], [204, 255], [255], [0, 255, 204], [204, 0, 255], [255, 255, 0], [0, 204], [255]];
    for (const values of batches) {
      const rs = await d.detectBatch(values.map((v) => ({ data: frame(v), srcWidth: 8, srcHeight: 8 })));
      expect(rs.map((r) => r.detections.map((x) => Math.round(x.score * 100) / 100))).toEqual(values.map((v) => (v === 0 ? [] : [Math.round((v / 255) * 100) / 100])));
    }
    await d.dispose();
  });

  it('the inference server batches frames of different cameras into one run', async () => {
    const holder = new DetectorHolder();
    await holder.load({ manifest, model: dynamicBatchModel() });
    // count the batch sizes the scheduler hands the detector
    const det = holder.current as FrameDetector;
    const sizes: number[] = [];
    const run = det.detectBatch.bind(det);
    (det as { detectBatch: FrameDetector['detectBatch'] }).detectBatch = async (frames, post) => {
      sizes.push(frames.length);
      await new Promise((r) => setTimeout(r, 30)); // hold the run so the other cameras' frames wait together
      return run(frames, post);
    };
    const endpoint = newInferenceEndpoint();
    const server = new InferenceServer(endpoint, holder);
    await server.listen();
    const client = createInferenceClient(endpoint);
    try {
      const spec = modelInputSpec(manifest);
      const send = (cameraId: string, v: number) => client.detect({ cameraId, seq: 1, pts: 0, capturedAt: Date.now(), srcWidth: 8, srcHeight: 8, data: frame(v), spec });
      const first = send('a', 255);
      await new Promise((r) => setTimeout(r, 10));
      const [b, c, dd] = await Promise.all([send('b', 0), send('c', 204), send('d', 255)]);
      const a = await first;
      const scores = [a, b, c, dd].map((r) => (r.status === 'ok' ? r.detections.map((x) => Math.round(x.score * 100) / 100) : r.status));
      expect(scores).toEqual([[1], [], [0.8], [1]]);
      expect(sizes).toEqual([1, 3]);
    } finally {
      client.close();
      await server.close();
      await holder.dispose();
    }
  });
});
