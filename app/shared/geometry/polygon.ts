import { EPS, isNormalised, type Point } from './point';
import { distancePointSegment, segmentsIntersect } from './segment';

/** Signed area (shoelace). On screen (y down) a positive value means the points run clockwise. */
export function polygonSignedArea(poly: readonly Point[]): number {
  let a = 0;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    a += p[0] * q[1] - q[0] * p[1];
  }
  return a / 2;
}

export function polygonArea(poly: readonly Point[]): number {
  return Math.abs(polygonSignedArea(poly));
}

/**
 * Point-in-polygon by ray casting (even-odd). Points on the boundary count as inside, so an anchor clamped to
 * the frame edge still belongs to a zone drawn to the edge.
 */
export function pointInPolygon(p: Point, poly: readonly Point[]): boolean {
  const n = poly.length;
  if (n < 3) return false;
  for (let i = 0; i < n; i++) {
    if (distancePointSegment(p, poly[i]!, poly[(i + 1) % n]!) < 1e-12) return true;
  }
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = poly[i]!;
    const b = poly[j]!;
    if (a[1] > p[1] !== b[1] > p[1]) {
      const x = ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0];
      if (p[0] < x) inside = !inside;
    }
  }
  return inside;
}

/** True when two non-adjacent edges of the closed polygon touch or cross. */
export function polygonSelfIntersects(poly: readonly Point[]): boolean {
  const n = poly.length;
  for (let i = 0; i < n; i++) {
    const a0 = poly[i]!;
    const a1 = poly[(i + 1) % n]!;
    for (let j = i + 1; j < n; j++) {
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      if (adjacent) continue;
      if (segmentsIntersect(a0, a1, poly[j]!, poly[(j + 1) % n]!)) return true;
    }
  }
  return false;
}

/** Why a polygon is unusable as a zone, or null when it is fine. */
export function polygonProblem(poly: readonly Point[]): string | null {
  if (poly.length < 3) return `a polygon needs at least 3 points (got ${poly.length})`;
  const bad = poly.findIndex((p) => !isNormalised(p));
  if (bad >= 0) return `point ${bad} is outside the frame (coordinates must be within 0..1)`;
  if (polygonArea(poly) < EPS) return 'the polygon has zero area';
  if (polygonSelfIntersects(poly)) return 'the polygon intersects itself';
  return null;
}
