import { describe, expect, it } from 'vitest';
import { ModelManifestSchema } from '../../shared/domain/model';
import { COCO80 } from './decoders/coco-classes';
import type { Candidate } from './inference-api';
import { iou, minCandidateScore, nms, postprocess } from './postprocess';

const m = ModelManifestSchema.parse({
  id: 'm', name: 'm', file: 'm.onnx', licence: 'x', decoder: 'yolox', classes: [...COCO80],
  input: { name: 'images', shape: [1, 3, 416, 416], layout: 'nchw', colour: 'bgr', letterbox: 'topleft' },
  thresholds: { score: 0.3, nmsIou: 0.45, perClass: { car: 0.6 } },
});
const cand = (classId: number, score: number, box: [number, number, number, number]): Candidate => ({ classId, score, box });

describe('NMS and postprocess', () => {
  it('iou', () => {
    expect(iou([0, 0, 1, 1], [0, 0, 1, 1])).toBeCloseTo(1);
    expect(iou([0, 0, 0.5, 1], [0.5, 0, 1, 1])).toBe(0);
    expect(iou([0, 0, 0.5, 0.5], [0.25, 0, 0.75, 0.5])).toBeCloseTo(1 / 3);
  });

  it('is class-aware: overlapping boxes of different classes both survive', () => {
    const out = nms([cand(0, 0.9, [0, 0, 0.5, 0.5]), cand(0, 0.8, [0.01, 0, 0.5, 0.5]), cand(16, 0.7, [0, 0, 0.5, 0.5])], 0.45);
    expect(out.map((c) => [c.classId, c.score])).toEqual([[0, 0.9], [16, 0.7]]);
  });

  it('keeps non-overlapping boxes of one class', () => {
    expect(nms([cand(0, 0.9, [0, 0, 0.2, 0.2]), cand(0, 0.8, [0.5, 0.5, 0.7, 0.7])], 0.45)).toHaveLength(2);
  });

  it('applies per-class thresholds, the default class filter and the minimum area', () => {
    const c = [
      cand(0, 0.35, [0, 0, 0.3, 0.3]), // person passes 0.3
      cand(2, 0.5, [0.5, 0.5, 0.9, 0.9]), // car below its 0.6
      cand(16, 0.9, [0.1, 0.5, 0.3, 0.9]), // dog: filtered by default
      cand(0, 0.9, [0.5, 0.1, 0.501, 0.101]), // tiny
    ];
    expect(postprocess(c, m).map((d) => d.cls)).toEqual(['person']);
    expect(postprocess(c, m, { classes: null }).map((d) => d.cls)).toEqual(['dog', 'person']);
    expect(postprocess(c, m, { classes: null, minBoxArea: 0 }).map((d) => d.cls)).toEqual(['dog', 'person', 'person']);
    expect(postprocess(c, m, { perClass: { car: 0.4 } }).map((d) => d.cls).sort()).toEqual(['car', 'person']);
    expect(minCandidateScore(m, { perClass: { person: 0.2 } })).toBe(0.2);
  });
});
