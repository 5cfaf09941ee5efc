import type { Point } from '../../../shared/geometry/point';
import type { Fit } from '../live/tile-fit';

/**
 * Conversion between normalised frame coordinates (0..1, what rules store) and stage pixels. The stage shows
 * the frame letterboxed with the same `fitContain` as the live tiles, so `fit` is the picture's rectangle.
 */

/** A point in stage pixels. */
export type Px = readonly [number, number];

/** Normalised frame point -> stage pixels. */
export function toStage(p: Point, fit: Fit): [number, number] {
  return [fit.x + p[0] * fit.width, fit.y + p[1] * fit.height];
}

/** Stage pixels -> normalised frame point, clamped into the frame (a click in the letterbox bar lands on the edge). */
export function toFrame(px: Px, fit: Fit): [number, number] {
  if (fit.width <= 0 || fit.height <= 0) return [0, 0];
  const c = (v: number) => Math.min(1, Math.max(0, v));
  return [c((px[0] - fit.x) / fit.width), c((px[1] - fit.y) / fit.height)];
}

/** Flattens points into a Konva `points` array in stage pixels. */
export function toStagePoints(points: readonly Point[], fit: Fit): number[] {
  const out: number[] = [];
  for (const p of points) out.push(fit.x + p[0] * fit.width, fit.y + p[1] * fit.height);
  return out;
}

/** Rounds a normalised coordinate to 5 decimals (sub-pixel at 4K) so saved files stay readable. */
export function roundCoord(v: number): number {
  return Math.round(v * 1e5) / 1e5;
}
