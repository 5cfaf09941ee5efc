import type { Rule } from '../../../shared/domain/rules';
import { pointInPolygon, type Point } from '../../../shared/geometry';
import type { Fit } from '../live/tile-fit';
import { toFrame, toStage, type Px } from './frame-coords';

/** What lies under the pointer, found in stage pixels (so the tolerance is the same on every axis). */
export type Hit =
  | { kind: 'none' }
  /** A vertex of a rule. */
  | { kind: 'vertex'; ruleId: string; index: number }
  /** The edge from vertex `index` to the next one; `point` is the nearest point on it (normalised). */
  | { kind: 'edge'; ruleId: string; index: number; point: [number, number] }
  /** The inside of a zone. */
  | { kind: 'inside'; ruleId: string }
  /** The first point of the zone being drawn (clicking it closes the zone). */
  | { kind: 'draft-start' };

/** Pointer tolerance in stage pixels. */
export const HIT_TOLERANCE_PX = 9;

const edgesOf = (r: Rule): number => (r.type === 'zone' ? r.points.length : r.points.length - 1);

function nearestOnSegment(p: Px, a: Px, b: Px): { d: number; q: [number, number] } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  const q: [number, number] = [a[0] + t * dx, a[1] + t * dy];
  return { d: Math.hypot(p[0] - q[0], p[1] - q[1]), q };
}

/**
 * Finds what is under `px`: vertices first (the selected rule's before others), then edges, then zone insides;
 * later rules are drawn on top, so they win ties. `draft` is the first point of a zone being drawn.
 */
export function hitTest(rules: readonly Rule[], px: Px, fit: Fit, opts: { selectedId?: string | null; draftStart?: Point | null; tolerance?: number } = {}): Hit {
  const tol = opts.tolerance ?? HIT_TOLERANCE_PX;
  if (opts.draftStart) {
    const s = toStage(opts.draftStart, fit);
    if (Math.hypot(px[0] - s[0], px[1] - s[1]) <= tol) return { kind: 'draft-start' };
  }
  const order = [...rules].reverse();
  const selIdx = order.findIndex((r) => r.id === opts.selectedId);
  if (selIdx > 0) order.unshift(...order.splice(selIdx, 1));
  for (const r of order) {
    let best: { d: number; index: number } | null = null;
    for (let index = 0; index < r.points.length; index++) {
      const s = toStage(r.points[index]!, fit);
      const d = Math.hypot(px[0] - s[0], px[1] - s[1]);
      if (d <= tol && (!best || d < best.d)) best = { d, index };
    }
    if (best) return { kind: 'vertex', ruleId: r.id, index: best.index };
  }
  for (const r of order) {
    let best: { d: number; index: number; q: [number, number] } | null = null;
    for (let i = 0; i < edgesOf(r); i++) {
      const a = toStage(r.points[i]!, fit);
      const b = toStage(r.points[(i + 1) % r.points.length]!, fit);
      const { d, q } = nearestOnSegment(px, a, b);
      if (d <= tol && (!best || d < best.d)) best = { d, index: i, q };
    }
    if (best) return { kind: 'edge', ruleId: r.id, index: best.index, point: toFrame(best.q, fit) };
  }
  const p = toFrame(px, fit);
  for (const r of order) {
    if (r.type === 'zone' && pointInPolygon(p, r.points)) return { kind: 'inside', ruleId: r.id };
  }
  return { kind: 'none' };
}
