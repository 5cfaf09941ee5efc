import { distance, EPS, type Point } from './point';
import { distancePointSegment, lineIntersection, signedDistanceToLine } from './segment';

export function polylineLength(line: readonly Point[]): number {
  let len = 0;
  for (let i = 1; i < line.length; i++) len += distance(line[i - 1]!, line[i]!);
  return len;
}

/** Index of the polyline segment (i -> i+1) closest to p. */
export function nearestSegmentIndex(p: Point, line: readonly Point[]): number {
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i + 1 < line.length; i++) {
    const d = distancePointSegment(p, line[i]!, line[i + 1]!);
    if (d < bestD - EPS) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/**
 * Signed distance from p to a directed polyline: the perpendicular distance to the infinite line through its
 * nearest segment, positive on that segment's "in" side (see inNormal).
 */
export function signedDistanceToPolyline(p: Point, line: readonly Point[]): number {
  const i = nearestSegmentIndex(p, line);
  return signedDistanceToLine(p, line[i]!, line[i + 1]!);
}

/**
 * Whether the path a->b crosses the polyline. `extend` lengthens each free end of the polyline by that distance
 * (a tolerance); an end listed in `openEnds` ('start' | 'end') is extended without limit (a line drawn to the
 * frame edge continues past it). Returns the crossing closest to a, or null.
 */
export function pathCrossesPolyline(
  a: Point,
  b: Point,
  line: readonly Point[],
  extend = 0,
  openEnds: { start: boolean; end: boolean } = { start: false, end: false },
): { segment: number; point: [number, number] } | null {
  let best: { segment: number; point: [number, number]; ta: number } | null = null;
  const last = line.length - 2;
  for (let i = 0; i <= last; i++) {
    const p = line[i]!;
    const q = line[i + 1]!;
    const hit = lineIntersection(a, b, p, q);
    if (!hit) continue;
    if (hit.ta < -EPS || hit.ta > 1 + EPS) continue;
    const segLen = distance(p, q);
    const ext = segLen > EPS ? extend / segLen : 0;
    const lo = i === 0 ? (openEnds.start ? -Infinity : -ext) : -EPS;
    const hi = i === last ? (openEnds.end ? Infinity : 1 + ext) : 1 + EPS;
    if (hit.tb < lo || hit.tb > hi) continue;
    if (!best || hit.ta < best.ta) best = { segment: i, point: hit.point, ta: hit.ta };
  }
  return best ? { segment: best.segment, point: best.point } : null;
}

/** Why a polyline is unusable as a counting line, or null when it is fine. */
export function polylineProblem(line: readonly Point[]): string | null {
  if (line.length < 2) return `a line needs at least 2 points (got ${line.length})`;
  for (let i = 1; i < line.length; i++) {
    if (distance(line[i - 1]!, line[i]!) < 1e-6) return `segment ${i} has zero length (points ${i - 1} and ${i} coincide)`;
  }
  return null;
}
