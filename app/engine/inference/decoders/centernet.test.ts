import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../../shared/domain/model';
import type { DecodeInput, LetterboxInfo } from '../inference-api';
import { decodeCenternet, decodeCenternetPixels } from './centernet';

const C = 3;
const H = 8;
const W = 10;
const manifest = { decoderOptions: { stride: 4 } } as unknown as ModelManifest;
const square: LetterboxInfo = { srcWidth: 40, srcHeight: 32, inputWidth: 40, inputHeight: 32, contentWidth: 40, contentHeight: 32, padX: 0, padY: 0 };

function maps(peaks: [number, number, number, number][], sizes: [number, number, number, number] = [2, 3, 4, 5]) {
  const heat = new Float32Array(C * H * W);
  for (const [c, y, x, v] of peaks) heat[(c * H + y) * W + x] = v;
  const wh = new Float32Array(4 * H * W);
  for (let k = 0; k < 4; k++) wh.fill(sizes[k] ?? 0, k * H * W, (k + 1) * H * W);
  return { keypoints: { data: heat, dims: [1, C, H, W] }, wh: { data: wh, dims: [1, 4, H, W] } };
}
const input = (outputs: DecodeInput['outputs'], letterbox = square, m = manifest): DecodeInput => ({ outputs, manifest: m, letterbox });

describe('centernet decoder', () => {
  it('keeps 3x3 maxima per class, best first, and builds l/t/r/b boxes around the cell times the stride', () => {
    const out = decodeCenternetPixels(input(maps([[0, 2, 3, 0.9], [0, 2, 4, 0.5], [1, 2, 4, 0.7], [2, 7, 9, 0.4]])), 0.3);
    // (0,2,4) is suppressed by its neighbour (0,2,3); the class-1 peak at the same cell survives
    expect(out.map((p) => [p.classId, p.score.toFixed(2)])).toEqual([[0, '0.90'], [1, '0.70'], [2, '0.40']]);
    expect(out[0]?.px).toEqual([3 * 4 - 2, 2 * 4 - 3, 3 * 4 + 4, 2 * 4 + 5]);
    expect(out[2]?.px).toEqual([9 * 4 - 2, 7 * 4 - 3, 9 * 4 + 4, 7 * 4 + 5]);
  });

  it('keeps equal neighbours as peaks (max-pool equality), orders ties by flat (y, x, class) index and caps at topK', () => {
    const out = decodeCenternetPixels(input(maps([[1, 1, 1, 0.5], [0, 1, 2, 0.5], [2, 5, 5, 0.6]])), 0.1);
    expect(out.map((p) => p.classId)).toEqual([2, 1, 0]);
    const capped = decodeCenternetPixels(input(maps([[1, 1, 1, 0.5], [0, 1, 2, 0.5], [2, 5, 5, 0.6]]), square, { decoderOptions: { topK: 2, stride: 4 } } as unknown as ModelManifest), 0.1);
    expect(capped).toHaveLength(2);
    // two equal values side by side in one class are both maxima of their windows, as in the graph
    const plateau = decodeCenternetPixels(input(maps([[0, 5, 1, 0.3], [0, 5, 2, 0.3]])), 0.1);
    expect(plateau.map((p) => p.px[0] + 2)).toEqual([4, 8]);
  });

  it('maps input pixels through a top-left letterbox into normalised source coordinates, clamped', () => {
    // a 200x80 source scaled by 0.2 into 40x16 at the top of a 40x32 input
    const lb: LetterboxInfo = { srcWidth: 200, srcHeight: 80, inputWidth: 40, inputHeight: 32, contentWidth: 40, contentHeight: 16, padX: 0, padY: 0 };
    const [d] = decodeCenternet(input(maps([[0, 1, 5, 0.8]], [4, 2, 4, 20]), lb), 0.3);
    expect(d?.box[0]).toBeCloseTo(16 / 40);
    expect(d?.box[1]).toBeCloseTo(2 / 16);
    expect(d?.box[2]).toBeCloseTo(24 / 40);
    expect(d?.box[3]).toBe(1);
  });

  it('reads NHWC outputs when told so', () => {
    const nchw = maps([[2, 3, 4, 0.8]]);
    const heat = new Float32Array(C * H * W);
    for (let c = 0; c < C; c++) for (let i = 0; i < H * W; i++) heat[i * C + c] = nchw.keypoints.data[c * H * W + i] ?? 0;
    const wh = new Float32Array(4 * H * W);
    for (let c = 0; c < 4; c++) for (let i = 0; i < H * W; i++) wh[i * 4 + c] = nchw.wh.data[c * H * W + i] ?? 0;
    const m = { decoderOptions: { layout: 'nhwc', heatmap: 'hm', sizes: 'sz' } } as unknown as ModelManifest;
    const out = decodeCenternetPixels(input({ hm: { data: heat, dims: [1, H, W, C] }, sz: { data: wh, dims: [1, H, W, 4] } }, square, m), 0.3);
    expect(out).toEqual(decodeCenternetPixels(input(nchw), 0.3));
  });

  it('refuses missing outputs and a size map that does not fit', () => {
    expect(() => decodeCenternet(input({}), 0.3)).toThrow(/outputs keypoints and wh/);
    const bad = maps([]);
    expect(() => decodeCenternet(input({ ...bad, wh: { data: new Float32Array(3 * H * W), dims: [1, 3, H, W] } }), 0.3)).toThrow(/4 channels/);
  });
});
