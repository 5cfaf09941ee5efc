import type { Point } from './point';

/** A box [x1, y1, x2, y2] in normalised frame coordinates. */
export type BoxXYXY = readonly [number, number, number, number];

/** Which point of a box stands for the object: its bottom centre (feet) or its centre. */
export type AnchorKind = 'bottom-center' | 'center';

export function boxAnchor(box: BoxXYXY, anchor: AnchorKind): [number, number] {
  const cx = (box[0] + box[2]) / 2;
  return anchor === 'center' ? [cx, (box[1] + box[3]) / 2] : [cx, box[3]];
}

export function boxArea(b: BoxXYXY): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
}

/** Intersection over union of two boxes (0 when either is empty). */
export function iou(a: BoxXYXY, b: BoxXYXY): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

export function boxCenter(b: BoxXYXY): Point {
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
}

export function clampBox(b: BoxXYXY): [number, number, number, number] {
  const c = (v: number) => Math.min(1, Math.max(0, v));
  return [c(b[0]), c(b[1]), c(b[2]), c(b[3])];
}
