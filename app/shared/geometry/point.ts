/**
 * Plane geometry in normalised frame coordinates: x grows to the right, y grows DOWN (screen convention),
 * both 0..1 over the frame. Pure functions, no runtime dependencies.
 */

/** A point [x, y] in normalised frame coordinates. */
export type Point = readonly [number, number];

/** Tolerance used for "touching" and degeneracy tests. */
export const EPS = 1e-9;

export function sub(a: Point, b: Point): [number, number] {
  return [a[0] - b[0], a[1] - b[1]];
}

/** z component of the 2-D cross product a x b. */
export function cross(a: Point, b: Point): number {
  return a[0] * b[1] - a[1] * b[0];
}

export function dot(a: Point, b: Point): number {
  return a[0] * b[0] + a[1] * b[1];
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** True when every coordinate is finite and within 0..1. */
export function isNormalised(p: Point): boolean {
  return Number.isFinite(p[0]) && Number.isFinite(p[1]) && p[0] >= 0 && p[0] <= 1 && p[1] >= 0 && p[1] <= 1;
}
