import type { Box } from '../../shared/domain/detection';
import { computeLetterbox } from '../inference/letterbox';

/**
 * A person's look in a few numbers: a coarse colour histogram of the upper and of the lower half of the box
 * (clothes), from the model-input pixels the detector already has (no second decode). Used by the tracker to
 * keep identities through occlusions and to refuse swaps between people who look different. Cheap: at most
 * ~300 pixels sampled per box.
 */
export const APPEARANCE_BINS = 20;
/** Two halves (upper, lower body) of APPEARANCE_BINS each. */
export const APPEARANCE_LENGTH = 2 * APPEARANCE_BINS;

/** Where the source frame sits inside the model input (letterbox), and its pixel layout. */
export interface AppearanceFrame {
  data: Uint8Array;
  /** Model input size in pixels. */
  width: number;
  height: number;
  /** Channel order of the pixels. */
  colour: 'bgr' | 'rgb';
  contentWidth: number;
  contentHeight: number;
  padX: number;
  padY: number;
}

/** Colour bin of one pixel: 4 grey levels for unsaturated or dark pixels, else 8 hues x 2 brightness levels. */
function colourBin(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max < 40 || max - min < 0.2 * max) return Math.min(3, max >> 6);
  let h: number;
  const d = max - min;
  if (max === r) h = ((g - b) / d + 6) % 6;
  else if (max === g) h = (b - r) / d + 2;
  else h = (r - g) / d + 4;
  const hue = Math.min(7, Math.floor((h / 6) * 8));
  return 4 + hue * 2 + (max >= 150 ? 1 : 0);
}

/**
 * Descriptor of the box (normalised source coordinates): the central 60 % of its width, rows 10-50 % and
 * 50-90 % of its height, each half a histogram summing to 1. Null when the box is too small to say anything
 * (under 6 x 12 model pixels).
 */
export function appearanceOf(frame: AppearanceFrame, box: Box): Float32Array | null {
  const x0 = frame.padX + box[0] * frame.contentWidth;
  const x1 = frame.padX + box[2] * frame.contentWidth;
  const y0 = frame.padY + box[1] * frame.contentHeight;
  const y1 = frame.padY + box[3] * frame.contentHeight;
  const w = x1 - x0;
  const h = y1 - y0;
  if (w < 6 || h < 12) return null;
  const out = new Float32Array(APPEARANCE_LENGTH);
  const xs = x0 + 0.2 * w;
  const xe = x0 + 0.8 * w;
  const step = Math.max(1, Math.sqrt((0.6 * w * 0.8 * h) / 300));
  const rIdx = frame.colour === 'bgr' ? 2 : 0;
  const bIdx = frame.colour === 'bgr' ? 0 : 2;
  for (let half = 0; half < 2; half++) {
    const ys = y0 + (half === 0 ? 0.1 : 0.5) * h;
    const ye = y0 + (half === 0 ? 0.5 : 0.9) * h;
    let n = 0;
    for (let y = ys; y < ye; y += step) {
      const py = Math.min(frame.height - 1, Math.max(0, Math.round(y)));
      for (let x = xs; x < xe; x += step) {
        const px = Math.min(frame.width - 1, Math.max(0, Math.round(x)));
        const i = (py * frame.width + px) * 3;
        out[half * APPEARANCE_BINS + colourBin(frame.data[i + rIdx]!, frame.data[i + 1]!, frame.data[i + bIdx]!)]! += 1;
        n++;
      }
    }
    if (n) for (let k = 0; k < APPEARANCE_BINS; k++) out[half * APPEARANCE_BINS + k]! /= n;
  }
  return out;
}

/** Similarity of two descriptors, 0..1 (Bhattacharyya coefficient, mean of the two halves). */
export function appearanceSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < APPEARANCE_LENGTH; k++) s += Math.sqrt(a[k]! * b[k]!);
  return s / 2;
}

/**
 * Descriptors of a frame's detections (normalised source boxes) from the raw model-input frame the detector saw:
 * one letterboxed picture, or with tiled detection the tiles stacked one after the other. A box is described from
 * the tile that holds most of it (the closest view; the whole-frame input only when no tile holds more).
 */
export function frameAppearances(
  detections: ReadonlyArray<{ box: Box }>,
  data: Uint8Array,
  spec: { width: number; height: number; colour: 'bgr' | 'rgb'; letterbox: 'center' | 'topleft' | 'stretch' },
  srcWidth: number,
  srcHeight: number,
  tiles?: ReadonlyArray<{ x: number; y: number; width: number; height: number }> | null,
): Array<Float32Array | null> {
  const per = spec.width * spec.height * 3;
  const views = tiles?.length ? tiles : [{ x: 0, y: 0, width: srcWidth, height: srcHeight }];
  if (!(srcWidth > 0 && srcHeight > 0) || data.length < per * views.length) return detections.map(() => null);
  const frames = views.map((t, k) => ({ data: data.subarray(k * per, (k + 1) * per), width: spec.width, height: spec.height, colour: spec.colour, ...computeLetterbox(t.width, t.height, spec) }));
  return detections.map(({ box }) => {
    const px = [box[0] * srcWidth, box[1] * srcHeight, box[2] * srcWidth, box[3] * srcHeight] as const;
    const area = Math.max(1e-9, (px[2] - px[0]) * (px[3] - px[1]));
    let best = -1;
    let bestShare = 0;
    views.forEach((t, k) => {
      const w = Math.min(px[2], t.x + t.width) - Math.max(px[0], t.x);
      const h = Math.min(px[3], t.y + t.height) - Math.max(px[1], t.y);
      const share = w > 0 && h > 0 ? (w * h) / area : 0;
      // Prefer the smaller view (more pixels per person) when it holds (nearly) as much of the box.
      if (share > bestShare + 0.05 || (best >= 0 && share >= bestShare - 0.05 && t.width * t.height < views[best]!.width * views[best]!.height)) {
        best = k;
        bestShare = Math.max(bestShare, share);
      }
    });
    if (best < 0 || bestShare < 0.6) return null;
    const t = views[best]!;
    const c = (v: number) => Math.min(1, Math.max(0, v));
    const local: Box = [c((px[0] - t.x) / t.width), c((px[1] - t.y) / t.height), c((px[2] - t.x) / t.width), c((px[3] - t.y) / t.height)];
    return appearanceOf(frames[best]!, local);
  });
}
