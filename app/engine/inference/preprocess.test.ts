import { describe, expect, it } from 'vitest';
import { ModelManifestSchema } from '../../shared/domain/model';
import { hwcToTensor } from './preprocess';

const mk = (layout: 'nchw' | 'nhwc', normalise: Record<string, unknown>) =>
  ModelManifestSchema.parse({ id: 'm', name: 'm', file: 'm.onnx', licence: 'x', decoder: 'ultralytics', classes: ['a'], input: { name: 'i', shape: [1, 3, 1, 2], layout, colour: 'rgb', letterbox: 'center', normalise } });

describe('preprocess (layout/type only)', () => {
  const px = new Uint8Array([10, 20, 30, 40, 50, 60]); // 2 pixels HWC
  it('HWC -> NCHW with scale', () => {
    expect([...hwcToTensor(px, 2, 1, mk('nchw', { scale: 0.5 }), false)]).toEqual([5, 20, 10, 25, 15, 30]);
  });
  it('HWC -> NHWC with mean/std and R/B swap', () => {
    expect([...hwcToTensor(px, 2, 1, mk('nhwc', { scale: 1, mean: [10, 0, 0], std: [2, 1, 1] }), true)]).toEqual([10, 20, 10, 25, 50, 40]);
  });
  it('rejects short frames', () => {
    expect(() => hwcToTensor(new Uint8Array(3), 2, 1, mk('nchw', {}), false)).toThrow(/expected 6/);
  });
});
