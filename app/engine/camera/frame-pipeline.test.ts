import { describe, expect, it } from 'vitest';
import type { FrameHeader } from '../../shared/domain/detection';
import type { FrameForInference, InferenceClient, InferenceReply } from '../inference/inference-api';
import { tileRects } from '../../shared/domain/detection-tiling';
import { FramePipeline } from './frame-pipeline';

const spec = { modelId: 'm', width: 4, height: 4, colour: 'bgr' as const, letterbox: 'center' as const, padValue: 114 };
const jpeg = (n: number) => Buffer.from([0xff, 0xd8, n]);
const raw = () => Buffer.alloc(48);

function controllable() {
  const calls: Array<{ frame: FrameForInference; resolve: (r: InferenceReply) => void }> = [];
  const client: InferenceClient = {
    detect: (frame) => new Promise((resolve) => calls.push({ frame, resolve })),
    close() {},
  };
  return { client, calls };
}

describe('FramePipeline', () => {
  it('emits every frame at once with detections null when inference is off', () => {
    const out: FrameHeader[] = [];
    const p = new FramePipeline({ cameraId: 'c', analysisFps: 10, createClient: () => { throw new Error('unused'); }, emit: (h) => out.push(h), log() {} });
    p.setSourceSize(768, 432);
    p.onJpeg(0, 0, jpeg(0));
    p.onJpeg(1, 0.1, jpeg(1));
    expect(out.map((h) => [h.seq, h.detections, h.width, h.height])).toEqual([
      [0, null, 768, 432],
      [1, null, 768, 432],
    ]);
    expect(p.detectionStatus).toEqual({ status: 'off' });
  });

  it('keeps video flowing with detections null when the inference client cannot be created', () => {
    const out: FrameHeader[] = [];
    const logs: string[] = [];
    const p = new FramePipeline({
      cameraId: 'c',
      analysisFps: 10,
      inference: { endpoint: '/x', spec },
      createClient: () => {
        throw new Error('inference client not implemented yet');
      },
      emit: (h) => out.push(h),
      log: (_l, m) => logs.push(m),
    });
    p.onRaw(0, 0, raw());
    p.onJpeg(0, 0, jpeg(0));
    p.onJpeg(1, 0.1, jpeg(1));
    expect(out.map((h) => h.detections)).toEqual([null, null]);
    expect(p.detectionStatus.status).toBe('unavailable');
    expect(logs).toHaveLength(1);
  });

  it('has at most one frame in flight and emits the JPEG of the answered seq with its detections', async () => {
    const { client, calls } = controllable();
    const out: Array<{ h: FrameHeader; j: Buffer }> = [];
    const p = new FramePipeline({ cameraId: 'c', analysisFps: 10, inference: { endpoint: '/x', spec }, createClient: () => client, emit: (h, j) => out.push({ h, j }), log() {} });
    p.setSourceSize(8, 8);
    p.onJpeg(0, 0, jpeg(0));
    p.onRaw(0, 0, raw());
    p.onRaw(1, 0.1, raw()); // busy: dropped
    p.onJpeg(1, 0.1, jpeg(1));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.frame).toMatchObject({ seq: 0, srcWidth: 8, srcHeight: 8, cameraId: 'c' });
    expect(out).toHaveLength(0);
    const det = { cls: 'person', classId: 0, score: 0.9, box: [0.1, 0.1, 0.5, 0.9] as [number, number, number, number] };
    calls[0]!.resolve({ status: 'ok', seq: 0, detections: [det], inferenceMs: 12, modelId: 'm', detectedAt: 5 });
    await Promise.resolve();
    await Promise.resolve();
    expect(out).toHaveLength(1);
    expect(out[0]!.h).toMatchObject({ seq: 0, detections: [det], inferenceMs: 12, modelId: 'm' });
    expect(out[0]!.j[2]).toBe(0);
    expect(p.droppedFrames).toBe(1);
    // slot free again: the next raw frame goes out; its reply may come before its JPEG
    p.onRaw(2, 0.2, raw());
    expect(calls).toHaveLength(2);
    calls[1]!.resolve({ status: 'ok', seq: 2, detections: [], inferenceMs: 10, modelId: 'm', detectedAt: 6 });
    await Promise.resolve();
    await Promise.resolve();
    expect(out).toHaveLength(1);
    p.onJpeg(2, 0.2, jpeg(2));
    expect(out.map((o) => [o.h.seq, o.h.detections?.length])).toEqual([
      [0, 1],
      [2, 0],
    ]);
  });

  it('paced by inference: holds the frame that finds every slot busy, pauses the reader, drops nothing', async () => {
    const { client, calls } = controllable();
    const out: FrameHeader[] = [];
    const pauses: boolean[] = [];
    const p = new FramePipeline({ cameraId: 'c', analysisFps: 10, inference: { endpoint: '/x', spec }, createClient: () => client, emit: (h) => out.push(h), log() {}, maxInFlight: 2, pause: (v) => pauses.push(v) });
    p.setSourceSize(8, 8);
    for (let i = 0; i < 3; i++) {
      p.onJpeg(i, i / 10, jpeg(i));
      p.onRaw(i, i / 10, raw());
    }
    expect(calls.map((c) => c.frame.seq)).toEqual([0, 1]);
    expect(pauses).toEqual([true]);
    calls[0]!.resolve({ status: 'ok', seq: 0, detections: [], inferenceMs: 1, modelId: 'm', detectedAt: 1 });
    await Promise.resolve();
    await Promise.resolve();
    expect(calls.map((c) => c.frame.seq)).toEqual([0, 1, 2]);
    expect(pauses).toEqual([true, false]);
    calls[1]!.resolve({ status: 'ok', seq: 1, detections: [], inferenceMs: 1, modelId: 'm', detectedAt: 1 });
    calls[2]!.resolve({ status: 'ok', seq: 2, detections: [], inferenceMs: 1, modelId: 'm', detectedAt: 1 });
    for (let i = 0; i < 4; i++) await Promise.resolve();
    expect(out.map((h) => h.seq)).toEqual([0, 1, 2]);
    expect(p.droppedFrames).toBe(0);
  });

  it('hands back raw frames once dropped or answered, never while in flight', async () => {
    const { client, calls } = controllable();
    const back: Buffer[] = [];
    const p = new FramePipeline({ cameraId: 'c', analysisFps: 10, inference: { endpoint: '/x', spec }, createClient: () => client, emit() {}, log() {}, recycle: (b) => back.push(b) });
    p.setSourceSize(8, 8);
    const [a, b] = [raw(), raw()];
    p.onRaw(0, 0, a);
    p.onRaw(1, 0.1, b); // busy: dropped
    expect(back).toEqual([b]);
    calls[0]!.resolve({ status: 'dropped', seq: 0 });
    await Promise.resolve();
    await Promise.resolve();
    expect(back[1]).toBe(a);
  });

  it('a tiled camera sends each frame with the tile rectangles of its source size; an untiled one sends none', () => {
    const { client, calls } = controllable();
    const tiling = { columns: 2, rows: 1, overlap: 0.2, wholeFrame: false };
    const tiled = new FramePipeline({ cameraId: 't', analysisFps: 10, inference: { endpoint: '/x', spec, tiling }, createClient: () => client, emit() {}, log() {} });
    tiled.setSourceSize(1920, 1080);
    tiled.onRaw(0, 0, Buffer.alloc(96));
    expect(calls[0]!.frame.tiles).toEqual(tileRects(1920, 1080, tiling));
    const plain = new FramePipeline({ cameraId: 'u', analysisFps: 10, inference: { endpoint: '/x', spec }, createClient: () => client, emit() {}, log() {} });
    plain.setSourceSize(1920, 1080);
    plain.onRaw(0, 0, raw());
    expect(calls[1]!.frame.tiles).toBeUndefined();
  });
});
