import type { Box } from '../../../shared/domain/detection';
import type { Candidate, DecodeInput, DecoderFn, TensorView } from '../inference-api';

/**
 * CenterNet heatmap decode, equal to the post-processing tail of the MobileNetV3 CenterNet graph that ships
 * with @vladmandic/human (nodes tower_0/max_pooling2d … tower_0/detections), which the converter cuts off:
 *
 *   peak      = heat == maxpool3x3(heat, SAME)         (per class; the window ignores outside pixels)
 *   top-K     = the K best peak scores over (y, x, class), ties by flat index (y*W + x)*C + c, K = 100
 *   box (px)  = [x*s - l, y*s - t, x*s + r, y*s + b]    with [l, t, r, b] = sizes[y, x], s = the output stride
 *
 * Boxes are in model-input pixels, then mapped back through the letterbox into normalised source coordinates.
 */

/** decoderOptions understood here (all optional). */
export interface CenternetOptions {
  /** Output holding the per-class heatmap (already sigmoid-ed). Default `keypoints`. */
  heatmap?: string;
  /** Output holding the [l, t, r, b] distances in input pixels. Default `wh`. */
  sizes?: string;
  /** Layout of both outputs: nchw [1,C,H,W] (default) or nhwc [1,H,W,C]. */
  layout?: 'nchw' | 'nhwc';
  /** Input pixels per heatmap cell; default input height / heatmap height (4 for the shipped model). */
  stride?: number;
  /** At most this many peaks, as the graph's TopK (default 100). */
  topK?: number;
}

interface Grid {
  h: number;
  w: number;
  c: number;
  data: Float32Array;
  /** Element strides of the y, x and class axes in `data`. */
  sy: number;
  sx: number;
  sc: number;
}

function grid(t: TensorView, layout: 'nchw' | 'nhwc', name: string): Grid {
  if (t.dims.length !== 4 || t.dims[0] !== 1) throw new Error(`centernet: output ${name} must be [1,…] rank 4, got [${t.dims.join(',')}]`);
  const [, d1 = 0, d2 = 0, d3 = 0] = t.dims;
  if (t.data.length !== d1 * d2 * d3) throw new Error(`centernet: output ${name} holds ${t.data.length} values, not ${d1 * d2 * d3}`);
  if (layout === 'nchw') return { c: d1, h: d2, w: d3, data: t.data, sc: d2 * d3, sy: d3, sx: 1 };
  return { h: d1, w: d2, c: d3, data: t.data, sy: d2 * d3, sx: d3, sc: 1 };
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** A peak with its box in model-input pixels (unclamped), as a row of the graph's `detections` output. */
export interface CenternetPeak {
  classId: number;
  score: number;
  /** [x1, y1, x2, y2] in model-input pixels. */
  px: [number, number, number, number];
}

/** Peaks above minScore, best first, at most topK, boxes in model-input pixels. */
export function decodeCenternetPixels(input: DecodeInput, minScore: number): CenternetPeak[] {
  const o = input.manifest.decoderOptions as CenternetOptions;
  const layout = o.layout ?? 'nchw';
  const heatName = o.heatmap ?? 'keypoints';
  const sizesName = o.sizes ?? 'wh';
  const heatT = input.outputs[heatName];
  const sizesT = input.outputs[sizesName];
  if (!heatT || !sizesT) throw new Error(`centernet: outputs ${heatName} and ${sizesName} are required`);
  const heat = grid(heatT, layout, heatName);
  const sizes = grid(sizesT, layout, sizesName);
  if (sizes.h !== heat.h || sizes.w !== heat.w || sizes.c !== 4) throw new Error('centernet: size map must be the heatmap grid with 4 channels');
  const stride = o.stride ?? input.letterbox.inputHeight / heat.h;
  const topK = o.topK ?? 100;
  const floor = Math.max(minScore, Number.MIN_VALUE);

  const peaks: { score: number; index: number; y: number; x: number; c: number }[] = [];
  const { data, sy, sx, sc } = heat;
  // one linear pass over the data; the 3x3 test runs only for the few values above the threshold
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!(v >= floor)) continue;
    const c = Math.floor(i / sc) % heat.c;
    const y = Math.floor(i / sy) % heat.h;
    const x = Math.floor(i / sx) % heat.w;
    let isPeak = true;
    for (let dy = -1; dy <= 1 && isPeak; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= heat.h) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= heat.w) continue;
        if ((data[c * sc + yy * sy + xx * sx] as number) > v) { isPeak = false; break; }
      }
    }
    if (isPeak) peaks.push({ score: v, index: (y * heat.w + x) * heat.c + c, y, x, c });
  }
  peaks.sort((a, b) => b.score - a.score || a.index - b.index);
  return peaks.slice(0, topK).map((p) => {
    // float32 arithmetic, as the graph computes it
    const cx = Math.fround(p.x * stride);
    const cy = Math.fround(p.y * stride);
    const at = (k: number): number => sizes.data[k * sizes.sc + p.y * sizes.sy + p.x * sizes.sx] ?? 0;
    return { classId: p.c, score: p.score, px: [Math.fround(cx - at(0)), Math.fround(cy - at(1)), Math.fround(cx + at(2)), Math.fround(cy + at(3))] };
  });
}

/** DecoderFn for `decoder: centernet` manifests: peaks mapped through the letterbox to normalised source boxes. */
export const decodeCenternet: DecoderFn = (input: DecodeInput, minScore: number): Candidate[] => {
  const lb = input.letterbox;
  return decodeCenternetPixels(input, minScore).map(({ classId, score, px }) => {
    const box: Box = [
      clamp01((px[0] - lb.padX) / lb.contentWidth),
      clamp01((px[1] - lb.padY) / lb.contentHeight),
      clamp01((px[2] - lb.padX) / lb.contentWidth),
      clamp01((px[3] - lb.padY) / lb.contentHeight),
    ];
    return { classId, score, box };
  });
};
