import type { Box, Detection } from '../../shared/domain/detection';

/** A person-sized box (w 0.08, h 0.3) centred at (cx, cy), clipped to the frame. */
export function personBox(cx: number, cy: number, w = 0.08, h = 0.3): Box {
  const c = (v: number) => Math.min(1, Math.max(0, v));
  return [c(cx - w / 2), c(cy - h / 2), c(cx + w / 2), c(cy + h / 2)];
}

export function person(cx: number, cy: number, score = 0.9): Detection {
  return { cls: 'person', classId: 0, score, box: personBox(cx, cy) };
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
