import { iou } from '../../shared/geometry/box';
import { solveAssignment } from '../tracking/assignment';
import type { MotFrames } from './mot-gt';

export interface MotMetrics {
  /** 1 - (FN + FP + IDSW) / GT. */
  mota: number;
  /** Mean IoU of matched pairs (CLEAR MOTP as overlap). */
  motp: number;
  /** 2 IDTP / (GT + hypotheses), ids matched globally one-to-one. */
  idf1: number;
  idp: number;
  idr: number;
  idSwitches: number;
  falsePositives: number;
  misses: number;
  matches: number;
  gtBoxes: number;
  hypBoxes: number;
  gtIds: number;
  hypIds: number;
}

/**
 * CLEAR MOT (per frame: keep last frame's correspondences while IoU >= threshold, then optimal matching for the
 * rest; an ID switch when a GT object is matched to a different hypothesis than the last time it was matched)
 * and IDF1 (global bipartite matching of GT ids to hypothesis ids maximising frames with IoU >= threshold).
 * Frames are the union of keys of both maps.
 */
export function computeMotMetrics(gt: MotFrames, hyp: MotFrames, iouThreshold = 0.5): MotMetrics {
  const frames = [...new Set([...gt.keys(), ...hyp.keys()])].sort((a, b) => a - b);
  const lastMatch = new Map<number, number>(); // gt id -> hyp id (last time matched)
  let fp = 0;
  let fn = 0;
  let idsw = 0;
  let tp = 0;
  let iouSum = 0;
  let gtBoxes = 0;
  let hypBoxes = 0;
  const pairFrames = new Map<string, number>();
  const gtCount = new Map<number, number>();
  const hypCount = new Map<number, number>();
  let prev = new Map<number, number>(); // gt id -> hyp id in the previous frame
  for (const f of frames) {
    const g = gt.get(f) ?? [];
    const h = hyp.get(f) ?? [];
    gtBoxes += g.length;
    hypBoxes += h.length;
    for (const o of g) gtCount.set(o.id, (gtCount.get(o.id) ?? 0) + 1);
    for (const o of h) hypCount.set(o.id, (hypCount.get(o.id) ?? 0) + 1);
    for (const a of g) for (const b of h) if (iou(a.box, b.box) >= iouThreshold) pairFrames.set(`${a.id}:${b.id}`, (pairFrames.get(`${a.id}:${b.id}`) ?? 0) + 1);

    const cur = new Map<number, number>();
    const usedG = new Set<number>();
    const usedH = new Set<number>();
    for (const [gi, a] of g.entries()) {
      const want = prev.get(a.id);
      if (want === undefined) continue;
      const hi = h.findIndex((b) => b.id === want);
      if (hi >= 0 && !usedH.has(hi) && iou(a.box, h[hi]!.box) >= iouThreshold) {
        cur.set(a.id, want);
        usedG.add(gi);
        usedH.add(hi);
        iouSum += iou(a.box, h[hi]!.box);
      }
    }
    const gi2 = g.map((_, i) => i).filter((i) => !usedG.has(i));
    const hi2 = h.map((_, i) => i).filter((i) => !usedH.has(i));
    const cost = gi2.map((i) => hi2.map((j) => 1 - iou(g[i]!.box, h[j]!.box)));
    for (const [r, c] of solveAssignment(cost, 1 - iouThreshold + 1e-12)) {
      const a = g[gi2[r]!]!;
      const b = h[hi2[c]!]!;
      cur.set(a.id, b.id);
      usedG.add(gi2[r]!);
      usedH.add(hi2[c]!);
      iouSum += iou(a.box, b.box);
      const before = lastMatch.get(a.id);
      if (before !== undefined && before !== b.id) idsw += 1;
    }
    for (const [gid, hid] of cur) lastMatch.set(gid, hid);
    tp += cur.size;
    fn += g.length - usedG.size;
    fp += h.length - usedH.size;
    prev = cur;
  }
  const gIds = [...gtCount.keys()];
  const hIds = [...hypCount.keys()];
  const maxPair = Math.max(1, ...pairFrames.values());
  const idCost = gIds.map((a) => hIds.map((b) => maxPair - (pairFrames.get(`${a}:${b}`) ?? 0)));
  let idtp = 0;
  for (const [r, c] of solveAssignment(idCost, maxPair)) idtp += pairFrames.get(`${gIds[r]}:${hIds[c]}`) ?? 0;
  return {
    mota: gtBoxes ? 1 - (fn + fp + idsw) / gtBoxes : 0,
    motp: tp ? iouSum / tp : 0,
    idf1: gtBoxes + hypBoxes ? (2 * idtp) / (gtBoxes + hypBoxes) : 0,
    idp: hypBoxes ? idtp / hypBoxes : 0,
    idr: gtBoxes ? idtp / gtBoxes : 0,
    idSwitches: idsw,
    falsePositives: fp,
    misses: fn,
    matches: tp,
    gtBoxes,
    hypBoxes,
    gtIds: gIds.length,
    hypIds: hIds.length,
  };
}
