import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  distancePointSegment,
  inNormal,
  iou,
  pathCrossesPolyline,
  pointInPolygon,
  polygonProblem,
  polygonSelfIntersects,
  polylineProblem,
  segmentsIntersect,
  sideOfLine,
  signedDistanceToLine,
  signedDistanceToPolyline,
  type Point,
} from './index';

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const pt = fc.tuple(unit, unit) as fc.Arbitrary<Point>;

describe('side of line and the "in" direction (screen, y down)', () => {
  it('a line drawn left->right has its in side above (y smaller)', () => {
    expect(inNormal([0, 0.5], [1, 0.5])).toEqual([0, -1]);
    expect(sideOfLine([0.5, 0.2], [0, 0.5], [1, 0.5])).toBe(1);
    expect(sideOfLine([0.5, 0.8], [0, 0.5], [1, 0.5])).toBe(-1);
  });
  it('a line drawn top->bottom has its in side to the right', () => {
    expect(inNormal([0.5, 0], [0.5, 1])).toEqual([1, -0]);
    expect(sideOfLine([0.8, 0.5], [0.5, 0], [0.5, 1])).toBe(1);
    expect(sideOfLine([0.2, 0.5], [0.5, 0], [0.5, 1])).toBe(-1);
  });
  it('reversing a line flips every side', () => {
    fc.assert(fc.property(pt, pt, pt, (p, a, b) => {
      fc.pre(Math.hypot(a[0] - b[0], a[1] - b[1]) > 1e-3);
      expect(signedDistanceToLine(p, a, b)).toBeCloseTo(-signedDistanceToLine(p, b, a), 9);
    }));
  });
  it('|signed distance| to a line never exceeds the distance to its segment', () => {
    fc.assert(fc.property(pt, pt, pt, (p, a, b) => {
      fc.pre(Math.hypot(a[0] - b[0], a[1] - b[1]) > 1e-3);
      expect(Math.abs(signedDistanceToLine(p, a, b))).toBeLessThanOrEqual(distancePointSegment(p, a, b) + 1e-9);
    }));
  });
});

describe('segments', () => {
  it('intersection is symmetric', () => {
    fc.assert(fc.property(pt, pt, pt, pt, (a, b, c, d) => {
      expect(segmentsIntersect(a, b, c, d)).toBe(segmentsIntersect(c, d, a, b));
      expect(segmentsIntersect(a, b, c, d)).toBe(segmentsIntersect(b, a, d, c));
    }));
  });
  it('a segment joining points on strictly opposite sides of a line crosses it (within the segment or its extension)', () => {
    fc.assert(fc.property(pt, pt, (p, q) => {
      const a: Point = [0, 0.5];
      const b: Point = [1, 0.5];
      fc.pre(Math.abs(p[1] - 0.5) > 1e-6 && Math.abs(q[1] - 0.5) > 1e-6);
      const opposite = Math.sign(p[1] - 0.5) !== Math.sign(q[1] - 0.5);
      expect(segmentsIntersect(p, q, a, b)).toBe(opposite);
    }));
  });
  it('distance to a segment is zero at its ends and symmetric in the ends', () => {
    fc.assert(fc.property(pt, pt, pt, (p, a, b) => {
      expect(distancePointSegment(a, a, b)).toBeCloseTo(0, 9);
      expect(distancePointSegment(p, a, b)).toBeCloseTo(distancePointSegment(p, b, a), 9);
    }));
  });
  it('touching and collinear overlap count as intersecting', () => {
    expect(segmentsIntersect([0, 0], [1, 0], [1, 0], [1, 1])).toBe(true);
    expect(segmentsIntersect([0, 0], [1, 0], [0.5, 0], [2, 0])).toBe(true);
    expect(segmentsIntersect([0, 0], [1, 0], [0, 0.1], [1, 0.1])).toBe(false);
  });
});

describe('polygons', () => {
  const square: Point[] = [[0.2, 0.2], [0.8, 0.2], [0.8, 0.8], [0.2, 0.8]];
  it('point in polygon: inside, outside, on the edge', () => {
    expect(pointInPolygon([0.5, 0.5], square)).toBe(true);
    expect(pointInPolygon([0.9, 0.5], square)).toBe(false);
    expect(pointInPolygon([0.2, 0.5], square)).toBe(true);
  });
  it('points in an axis-aligned rectangle are inside it, in either winding', () => {
    const grid = fc.integer({ min: 0, max: 100 });
    fc.assert(fc.property(grid, grid, grid, grid, grid, grid, (ax, ay, bx, by, px, py) => {
      const [x1, x2] = [Math.min(ax, bx) / 100, Math.max(ax, bx) / 100];
      const [y1, y2] = [Math.min(ay, by) / 100, Math.max(ay, by) / 100];
      fc.pre(x2 > x1 && y2 > y1);
      const p: Point = [(px + 0.37) / 100, (py + 0.37) / 100]; // never on a grid line (k/100); (px+0.5)/101 was, at px = 50
      const rect: Point[] = [[x1, y1], [x2, y1], [x2, y2], [x1, y2]];
      const inside = p[0] > x1 && p[0] < x2 && p[1] > y1 && p[1] < y2;
      expect(pointInPolygon(p, rect)).toBe(inside);
      expect(pointInPolygon(p, [...rect].reverse())).toBe(inside);
    }));
  });
  it('validation: too few points, self-intersection, zero area, outside the frame', () => {
    expect(polygonProblem(square)).toBeNull();
    expect(polygonProblem([[0, 0], [1, 1]])).toMatch(/at least 3/);
    expect(polygonProblem([[0, 0], [1, 1], [1, 0], [0, 1]])).toMatch(/intersects itself/);
    expect(polygonSelfIntersects([[0, 0], [1, 1], [1, 0], [0, 1]])).toBe(true);
    expect(polygonProblem([[0, 0], [0.5, 0.5], [1, 1]])).toMatch(/zero area/);
    expect(polygonProblem([[0, 0], [1.2, 0], [1, 1]])).toMatch(/outside the frame/);
  });
  it('convex polygons (points on a circle) never self-intersect', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.double({ min: 0, max: 2 * Math.PI - 1e-3, noNaN: true }), { minLength: 3, maxLength: 12, comparator: (a, b) => Math.abs(a - b) < 1e-2 }), (angles) => {
      const poly = [...angles].sort((a, b) => a - b).map((a) => [0.5 + 0.4 * Math.cos(a), 0.5 + 0.4 * Math.sin(a)] as Point);
      expect(polygonSelfIntersects(poly)).toBe(false);
    }));
  });
});

describe('polylines', () => {
  const vee: Point[] = [[0.1, 0.2], [0.5, 0.6], [0.9, 0.2]];
  it('signed distance uses the nearest segment', () => {
    expect(signedDistanceToPolyline([0.5, 0.3], vee)).toBeGreaterThan(0);
    expect(signedDistanceToPolyline([0.5, 0.9], vee)).toBeLessThan(0);
  });
  it('path crossing: inside the polyline, off its end, and within the end tolerance', () => {
    expect(pathCrossesPolyline([0.5, 0.3], [0.5, 0.9], vee)).not.toBeNull();
    expect(pathCrossesPolyline([0.97, 0.1], [0.97, 0.3], vee)).toBeNull();
    expect(pathCrossesPolyline([0.92, 0.1], [0.92, 0.3], vee, 0.05)).not.toBeNull();
    expect(pathCrossesPolyline([0.99, 0.1], [0.99, 0.3], vee, 0, { start: false, end: true })).not.toBeNull();
  });
  it('validation: a zero-length segment is rejected', () => {
    expect(polylineProblem([[0.5, 0.5], [0.5, 0.5]])).toMatch(/zero length/);
    expect(polylineProblem([[0.5, 0]])).toMatch(/at least 2/);
    expect(polylineProblem(vee)).toBeNull();
  });
});

describe('boxes', () => {
  it('IoU is symmetric, in 0..1, and 1 for identical boxes', () => {
    fc.assert(fc.property(pt, pt, pt, pt, (a, b, c, d) => {
      const A = [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])] as const;
      const B = [Math.min(c[0], d[0]), Math.min(c[1], d[1]), Math.max(c[0], d[0]), Math.max(c[1], d[1])] as const;
      const v = iou(A, B);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1 + 1e-12);
      expect(v).toBeCloseTo(iou(B, A), 12);
    }));
    expect(iou([0, 0, 0.5, 0.5], [0, 0, 0.5, 0.5])).toBe(1);
  });
});
