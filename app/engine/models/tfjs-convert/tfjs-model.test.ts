import { describe, expect, it } from 'vitest';
import { decodeTfjsModel, float16ToFloat32, type TfGraphModelJson, type TfWeightSpec } from './tfjs-model';

const json = (weights: TfWeightSpec[], paths = ['w.bin']): TfGraphModelJson => ({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [{ paths, weights }] });

describe('TF.js weights', () => {
  it('decodes IEEE half floats exactly, subnormals and specials included', () => {
    expect(float16ToFloat32(0x3c00)).toBe(1);
    expect(float16ToFloat32(0xc000)).toBe(-2);
    expect(float16ToFloat32(0x3555)).toBe(0.333251953125);
    expect(float16ToFloat32(0x0001)).toBe(2 ** -24);
    expect(float16ToFloat32(0x7c00)).toBe(Infinity);
    expect(float16ToFloat32(0x7e00)).toBeNaN();
  });

  it('dequantises float16, uint8 and uint16 affine weights and reads plain float32/int32, across shards', () => {
    const bytes = new Uint8Array([
      0x00, 0x3c, 0x00, 0xc0, // float16 [1, -2]
      0, 10, 255, // uint8 * 0.5 - 1
      0x02, 0x00, // uint16 2 * 0.25 + 3
      0, 0, 0x80, 0x3f, // float32 1
      0xff, 0xff, 0xff, 0xff, // int32 -1
    ]);
    const shards = [bytes.subarray(0, 7), bytes.subarray(7)];
    const m = decodeTfjsModel(json([
      { name: 'h', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
      { name: 'u8', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
      { name: 'u16', shape: [], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.25, min: 3 } },
      { name: 'f', shape: [1], dtype: 'float32' },
      { name: 'i', shape: [1], dtype: 'int32' },
    ], ['a.bin', 'b.bin']), (p) => (p === 'a.bin' ? shards[0] : shards[1]) as Uint8Array);
    expect(Array.from(m.weights.get('h')?.data ?? [])).toEqual([1, -2]);
    expect(Array.from(m.weights.get('u8')?.data ?? [])).toEqual([-1, 4, 126.5]);
    expect(Array.from(m.weights.get('u16')?.data ?? [])).toEqual([3.5]);
    expect(Array.from(m.weights.get('f')?.data ?? [])).toEqual([1]);
    expect(m.weights.get('i')?.dtype).toBe('int32');
    expect(Array.from(m.weights.get('i')?.data ?? [])).toEqual([-1]);
  });

  it('names the weight and the byte range when a shard is truncated, and refuses trailing bytes', () => {
    const spec: TfWeightSpec[] = [{ name: 'a', shape: [2], dtype: 'float32' }, { name: 'conv/weights', shape: [4], dtype: 'float32' }];
    expect(() => decodeTfjsModel(json(spec), () => new Uint8Array(20))).toThrow(/w\.bin truncated: weight "conv\/weights" needs bytes 8\.\.24 but only 20 are present/);
    expect(() => decodeTfjsModel(json(spec), () => new Uint8Array(28))).toThrow(/hold 28 bytes but the manifest describes 24/);
  });

  it('refuses what is not a graph model', () => {
    expect(() => decodeTfjsModel({} as TfGraphModelJson, () => new Uint8Array())).toThrow(/not a TF.js graph model/);
    expect(() => decodeTfjsModel({ ...json([]), format: 'layers-model' }, () => new Uint8Array())).toThrow(/expected "graph-model"/);
  });
});
