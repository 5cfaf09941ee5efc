import { describe, expect, it } from 'vitest';
import type { FrameHeader } from '../../shared/domain/detection';
import type { InferenceClient, InferenceReply } from '../inference/inference-api';
import { FramePipeline } from './frame-pipeline';

// 96x96 model input: the motion detector's cells are 4 px (CELLS_ACROSS 48 would give 2; 4 is its minimum)
const spec = { modelId: 'm', width: 96, height: 96, colour: 'bgr' as const, letterbox: 'stretch' as const, padValue: 114 };
const jpeg = (n: number) => Buffer.from([0xff, 0xd8, n & 0xff]);
/** A flat grey picture, with a bright square at (x, y) when given (someone walking in). */
function picture(square?: { x: number; y: number }): Buffer {
  const b = Buffer.alloc(96 * 96 * 3, 90);
  if (square) for (let y = square.y; y < square.y + 24; y++) for (let x = square.x; x < square.x + 16; x++) b.fill(230, (y * 96 + x) * 3, (y * 96 + x) * 3 + 3);
  return b;
}

/** An inference client that answers at once, with nothing found; counts the frames it was given. */
function answering() {
  const seqs: number[] = [];
  const client: InferenceClient = {
    detect: (f) => {
      seqs.push(f.seq);
      return Promise.resolve<InferenceReply>({ status: 'ok', seq: f.seq, detections: [], inferenceMs: 1, modelId: 'm', detectedAt: 0 });
    },
    close() {},
  };
  return { client, seqs };
}

async function run(p: FramePipeline, frames: Array<Buffer>, start = 0): Promise<void> {
  for (let i = 0; i < frames.length; i++) {
    const seq = start + i;
    p.onJpeg(seq, seq / 10, jpeg(seq));
    p.onRaw(seq, seq / 10, frames[i]!);
    await Promise.resolve();
    await Promise.resolve();
  }
}

describe('FramePipeline: motion-gated detection', () => {
  it('skips still frames after warm-up (detections [] and gated idle), detects when something moves, and warms up again on a new run', async () => {
    const { client, seqs } = answering();
    const out: FrameHeader[] = [];
    const p = new FramePipeline({ cameraId: 'c', analysisFps: 10, inference: { endpoint: '/x', spec }, createClient: () => client, emit: (h) => out.push(h), log() {}, motionGating: { enabled: true, sensitivity: 'medium' }, liveTracks: () => [] });
    p.setSourceSize(960, 960);
    await run(p, Array.from({ length: 15 }, () => picture()));
    expect(out).toHaveLength(15);
    // the first frames are detected while the background is learnt, then still frames are not
    expect(out.slice(0, 3).every((h) => h.gated === undefined)).toBe(true);
    const still = out.slice(12);
    expect(still.every((h) => h.gated === 'idle' && Array.isArray(h.detections) && h.detections.length === 0)).toBe(true);
    const before = seqs.length;
    // someone walks in: detected, with the motion box for the overlay
    await run(p, [picture({ x: 40, y: 40 })], 15);
    expect(seqs.length).toBe(before + 1);
    const moved = out.at(-1)!;
    expect(moved.gated).toBeUndefined();
    expect(moved.motionBoxes?.length).toBeGreaterThan(0);
    const [x1, y1, x2, y2] = moved.motionBoxes![0]!;
    expect(x1).toBeLessThanOrEqual(56 / 96);
    expect(x2).toBeGreaterThanOrEqual(40 / 96);
    expect(y1).toBeLessThanOrEqual(64 / 96);
    expect(y2).toBeGreaterThanOrEqual(40 / 96);
    // a new ffmpeg run: the gate resets, the next frame is detected (warm-up)
    p.resetRun();
    const n = seqs.length;
    await run(p, [picture()], 100);
    expect(seqs.length).toBe(n + 1);
    expect(out.at(-1)!.gated).toBeUndefined();
  });

  it('keeps detecting while the camera has live tracks, even with nothing moving', async () => {
    const { client } = answering();
    const out: FrameHeader[] = [];
    let tracks = [] as Array<{ box: [number, number, number, number]; stationary: boolean; moved: boolean }>;
    const p = new FramePipeline({ cameraId: 'c', analysisFps: 10, inference: { endpoint: '/x', spec }, createClient: () => client, emit: (h) => out.push(h), log() {}, motionGating: { enabled: true, sensitivity: 'medium' }, liveTracks: () => tracks });
    p.setSourceSize(960, 960);
    await run(p, Array.from({ length: 15 }, () => picture()));
    expect(out.at(-1)!.gated).toBe('idle');
    tracks = [{ box: [0.4, 0.4, 0.6, 0.8], stationary: false, moved: true }];
    await run(p, Array.from({ length: 5 }, () => picture()), 15);
    expect(out.slice(-5).every((h) => h.gated === undefined)).toBe(true);
  });

  it('with gating off, every analysed frame is detected', async () => {
    const { client, seqs } = answering();
    const out: FrameHeader[] = [];
    const p = new FramePipeline({ cameraId: 'c', analysisFps: 10, inference: { endpoint: '/x', spec }, createClient: () => client, emit: (h) => out.push(h), log() {}, motionGating: { enabled: false, sensitivity: 'medium' } });
    p.setSourceSize(960, 960);
    await run(p, Array.from({ length: 30 }, () => picture()));
    expect(seqs).toHaveLength(30);
    expect(out.every((h) => h.gated === undefined)).toBe(true);
  });
});

describe('FramePipeline: reduced analysis rate (load)', () => {
  it('sends only the frames that fit the reduced rate to inference; the others go out gated load; back to all when restored', async () => {
    const { client, seqs } = answering();
    const out: FrameHeader[] = [];
    const p = new FramePipeline({ cameraId: 'c', analysisFps: 10, inference: { endpoint: '/x', spec }, createClient: () => client, emit: (h) => out.push(h), log() {} });
    p.setSourceSize(960, 960);
    p.setReducedRate(4);
    await run(p, Array.from({ length: 20 }, () => picture()));
    expect(out).toHaveLength(20);
    expect(seqs.length).toBe(8); // 4 of every 10
    expect(out.filter((h) => h.gated === 'load')).toHaveLength(12);
    expect(out.every((h) => h.reducedFps === 4 && Array.isArray(h.detections))).toBe(true);
    p.setReducedRate(null);
    await run(p, Array.from({ length: 10 }, () => picture()), 20);
    expect(seqs.length).toBe(18);
    expect(out.slice(-10).every((h) => h.gated === undefined && h.reducedFps === undefined)).toBe(true);
  });
});
