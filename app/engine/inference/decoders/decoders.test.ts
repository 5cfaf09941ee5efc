import { describe, expect, it } from 'vitest';
import { ModelManifestSchema } from '../../../shared/domain/model';
import type { DecodeInput } from '../inference-api';
import { computeLetterbox } from '../letterbox';
import { COCO80 } from './coco-classes';
import { decodeUltralytics, ultralyticsLayout, validateUltralytics } from './ultralytics';
import { decodeYolox, validateYolox, yoloxAnchorCount } from './yolox';

const manifest = (decoder: 'yolox' | 'ultralytics', size: number) =>
  ModelManifestSchema.parse({
    id: 'm', name: 'm', file: 'm.onnx', licence: 'x', decoder, classes: [...COCO80],
    input: { name: 'images', shape: [1, 3, size, size], layout: 'nchw', colour: 'bgr', letterbox: decoder === 'yolox' ? 'topleft' : 'center' },
  });

describe('yolox decoder', () => {
  const m = manifest('yolox', 416);
  const A = yoloxAnchorCount(416, 416, [8, 16, 32]);

  it('has 3549 anchors at 416', () => expect(A).toBe(3549));

  it('decodes grid offsets, strides, exp sizes and obj*cls, then undoes the letterbox', () => {
    const data = new Float32Array(A * 85);
    // stride 8, gx=10, gy=5 -> anchor 5*52+10
    const a = 5 * 52 + 10;
    data.set([0.5, 0.5, Math.log(4), Math.log(8), 0.9], a * 85);
    data[a * 85 + 5 + 0] = 0.8; // person
    // stride 32 level, gx=1, gy=1 -> anchor 52*52 + 26*26 + 13 + 1; low score, filtered
    const b = 52 * 52 + 26 * 26 + 14;
    data.set([0, 0, 0, 0, 0.2], b * 85);
    data[b * 85 + 5 + 2] = 0.5;
    const lb = computeLetterbox(832, 416, { width: 416, height: 416, letterbox: 'topleft' }); // r = 0.5, content 416x208
    const input: DecodeInput = { outputs: { output: { data, dims: [1, A, 85] } }, manifest: m, letterbox: lb };
    const c = decodeYolox(input, 0.3);
    expect(c).toHaveLength(1);
    expect(c[0]!.classId).toBe(0);
    expect(c[0]!.score).toBeCloseTo(0.72);
    // cx=84, cy=44, w=32, h=64 in input px -> x (68..100)/416, y (12..76)/208
    expect(c[0]!.box[0]).toBeCloseTo(68 / 416);
    expect(c[0]!.box[1]).toBeCloseTo(12 / 208);
    expect(c[0]!.box[2]).toBeCloseTo(100 / 416);
    expect(c[0]!.box[3]).toBeCloseTo(76 / 208);
    expect(decodeYolox(input, 0.05)).toHaveLength(2);
  });

  it('validates shapes', () => {
    expect(validateYolox({ inputs: [{ name: 'images', shape: [1, 3, 416, 416] }], outputs: [{ name: 'output', shape: [1, 3549, 85] }] }, m)).toBeNull();
    expect(validateYolox({ inputs: [], outputs: [{ name: 'scores', shape: [1, 4420, 2] }, { name: 'boxes', shape: [1, 4420, 4] }] }, m)).toMatch(/1 output/);
    expect(validateYolox({ inputs: [], outputs: [{ name: 'output', shape: [1, 8400, 85] }] }, m)).toMatch(/3549 anchors/);
  });
});

describe('ultralytics decoder', () => {
  const m = manifest('ultralytics', 640);
  const lb = computeLetterbox(640, 640, { width: 640, height: 640, letterbox: 'center' });

  it('tells the layouts apart by shape', () => {
    expect(ultralyticsLayout([1, 25200, 85], 80)).toBe('v5');
    expect(ultralyticsLayout([1, 84, 8400], 80)).toBe('v8');
    expect(ultralyticsLayout([1, 8400, 84], 80)).toBe('v8-rows');
    expect(ultralyticsLayout([1, 3549, 2], 80)).toBeNull();
  });

  it('decodes YOLOv8/11 [1,84,N] (transposed, no objectness)', () => {
    const N = 10;
    const data = new Float32Array(84 * N);
    const set = (k: number, i: number, v: number) => (data[k * N + i] = v);
    set(0, 3, 320); set(1, 3, 320); set(2, 3, 64); set(3, 3, 128); set(4 + 2, 3, 0.9); // car
    set(0, 7, 100); set(1, 7, 100); set(2, 7, 10); set(3, 7, 10); set(4 + 0, 7, 0.1);
    const c = decodeUltralytics({ outputs: { output0: { data, dims: [1, 84, N] } }, manifest: m, letterbox: lb }, 0.3);
    expect(c).toHaveLength(1);
    expect(c[0]!.classId).toBe(2);
    expect(c[0]!.score).toBeCloseTo(0.9);
    expect(c[0]!.box.map((v) => Math.round(v * 1000) / 1000)).toEqual([0.45, 0.4, 0.55, 0.6]);
  });

  it('decodes YOLOv5 [1,N,85] with objectness', () => {
    const N = 4;
    const data = new Float32Array(N * 85);
    data.set([320, 320, 64, 64, 0.5], 85);
    data[85 + 5 + 0] = 0.9;
    data.set([320, 320, 64, 64, 0.2], 2 * 85);
    data[2 * 85 + 5 + 0] = 0.9;
    const c = decodeUltralytics({ outputs: { output: { data, dims: [1, N, 85] } }, manifest: m, letterbox: lb }, 0.3);
    expect(c).toHaveLength(1);
    expect(c[0]!.score).toBeCloseTo(0.45);
  });

  it('validates shapes', () => {
    expect(validateUltralytics({ inputs: [], outputs: [{ name: 'o', shape: [1, 84, 8400] }] }, m)).toBeNull();
    expect(validateUltralytics({ inputs: [], outputs: [{ name: 'o', shape: [1, 84, 'n'] }] }, m)).toBeNull();
    expect(validateUltralytics({ inputs: [], outputs: [{ name: 'scores', shape: [1, 4420, 2] }] }, m)).toMatch(/ultralytics expects/);
  });
});
