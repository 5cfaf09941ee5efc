import { cross, dot, EPS, type Point, sub } from './point';

/** Result of intersecting segment a0-a1 with segment b0-b1. */
export interface SegmentHit {
  /** Parameter along a (0 at a0, 1 at a1). */
  ta: number;
  /** Parameter along b (0 at b0, 1 at b1). */
  tb: number;
  point: [number, number];
}

/**
 * Intersection of the infinite lines through a0-a1 and b0-b1, with the parameters along each; null when the
 * lines are parallel (or a segment is degenerate). Callers check the parameter ranges they care about.
 */
export function lineIntersection(a0: Point, a1: Point, b0: Point, b1: Point): SegmentHit | null {
  const r = sub(a1, a0);
  const s = sub(b1, b0);
  const denom = cross(r, s);
  if (Math.abs(denom) < EPS) return null;
  const qp = sub(b0, a0);
  const ta = cross(qp, s) / denom;
  const tb = cross(qp, r) / denom;
  return { ta, tb, point: [a0[0] + ta * r[0], a0[1] + ta * r[1]] };
}

function orientation(a: Point, b: Point, c: Point): number {
  const v = cross(sub(b, a), sub(c, a));
  return Math.abs(v) < EPS ? 0 : Math.sign(v);
}

function onSegment(a: Point, b: Point, p: Point): boolean {
  return (
    Math.min(a[0], b[0]) - EPS <= p[0] && p[0] <= Math.max(a[0], b[0]) + EPS &&
    Math.min(a[1], b[1]) - EPS <= p[1] && p[1] <= Math.max(a[1], b[1]) + EPS
  );
}

/** True when the closed segments a0-a1 and b0-b1 share at least one point (touching and collinear overlap count). */
export function segmentsIntersect(a0: Point, a1: Point, b0: Point, b1: Point): boolean {
  const o1 = orientation(a0, a1, b0);
  const o2 = orientation(a0, a1, b1);
  const o3 = orientation(b0, b1, a0);
  const o4 = orientation(b0, b1, a1);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(a0, a1, b0)) return true;
  if (o2 === 0 && onSegment(a0, a1, b1)) return true;
  if (o3 === 0 && onSegment(b0, b1, a0)) return true;
  if (o4 === 0 && onSegment(b0, b1, a1)) return true;
  return false;
}

/**
 * The "in" normal of a directed segment p1->p2: its direction rotated 90 degrees counter-clockwise AS SEEN ON
 * SCREEN (y down). A segment drawn left->right gets a normal pointing up; one drawn top->bottom points right.
 * Unit length; [0, 0] for a degenerate segment.
 */
export function inNormal(p1: Point, p2: Point): [number, number] {
  const dx = p2[0] - p1[0];
  const dy = p2[1] - p1[1];
  const len = Math.hypot(dx, dy);
  if (len < EPS) return [0, 0];
  return [dy / len, -dx / len];
}

/**
 * Signed perpendicular distance from p to the infinite line through p1->p2: positive on the "in" side
 * (see inNormal), negative on the "out" side, 0 on the line.
 */
export function signedDistanceToLine(p: Point, p1: Point, p2: Point): number {
  return dot(sub(p, p1), inNormal(p1, p2));
}

/** -1, 0 or +1: which side of the directed line p1->p2 the point is on (+1 = "in" side). */
export function sideOfLine(p: Point, p1: Point, p2: Point): -1 | 0 | 1 {
  const d = signedDistanceToLine(p, p1, p2);
  return Math.abs(d) < EPS ? 0 : d > 0 ? 1 : -1;
}

/** Parameter (0..1, clamped) of the point on segment a-b closest to p. */
export function projectOnSegment(p: Point, a: Point, b: Point): number {
  const ab = sub(b, a);
  const len2 = dot(ab, ab);
  // A degenerate segment is its midpoint (symmetric in a and b).
  if (len2 < EPS * EPS) return 0.5;
  return Math.min(1, Math.max(0, dot(sub(p, a), ab) / len2));
}

/** Euclidean distance from p to the closed segment a-b. */
export function distancePointSegment(p: Point, a: Point, b: Point): number {
  const t = projectOnSegment(p, a, b);
  return Math.hypot(p[0] - (a[0] + t * (b[0] - a[0])), p[1] - (a[1] + t * (b[1] - a[1])));
}
