import type { LineCrossEvent } from '../../shared/domain/analytics';
import type { Rule } from '../../shared/domain/rules';
import { clampBox } from '../../shared/geometry/box';
import { RulesEngine } from '../rules/rules-engine';
import type { MotFrames } from './mot-gt';

/**
 * Ground-truth crossings: the SAME rules engine applied to ground-truth tracks (boxes clipped to the frame,
 * frame index / fps as time). Only line rules matter here.
 */
export function groundTruthCrossings(rules: readonly Rule[], gt: MotFrames, fps: number): LineCrossEvent[] {
  const engine = new RulesEngine(rules.filter((r) => r.type === 'line'));
  const out: LineCrossEvent[] = [];
  for (const f of [...gt.keys()].sort((a, b) => a - b)) {
    const obs = gt.get(f)!.map((o) => ({ id: o.id, cls: 'person', score: 1, box: clampBox(o.box), moved: true }));
    for (const e of engine.update(obs, f / fps, 0).events) if (e.type === 'line.cross') out.push(e);
  }
  return out;
}

export interface CrossingMatch {
  matched: Array<{ counted: LineCrossEvent; truth: LineCrossEvent }>;
  missed: LineCrossEvent[];
  spurious: LineCrossEvent[];
}

/**
 * Judges counting crossing by crossing: a counted crossing matches a true one on the same rule, same direction,
 * within ±tolerance seconds, one-to-one (closest in time first). Totals hide errors; this does not.
 */
export function matchCrossings(counted: readonly LineCrossEvent[], truth: readonly LineCrossEvent[], toleranceSeconds = 1): CrossingMatch {
  const pairs: Array<{ c: number; g: number; dt: number }> = [];
  counted.forEach((c, ci) =>
    truth.forEach((g, gi) => {
      const dt = Math.abs(c.t - g.t);
      if (c.rule === g.rule && c.dir === g.dir && dt <= toleranceSeconds) pairs.push({ c: ci, g: gi, dt });
    }),
  );
  pairs.sort((a, b) => a.dt - b.dt);
  const usedC = new Set<number>();
  const usedG = new Set<number>();
  const matched: CrossingMatch['matched'] = [];
  for (const p of pairs) {
    if (usedC.has(p.c) || usedG.has(p.g)) continue;
    usedC.add(p.c);
    usedG.add(p.g);
    matched.push({ counted: counted[p.c]!, truth: truth[p.g]! });
  }
  return {
    matched,
    missed: truth.filter((_, i) => !usedG.has(i)),
    spurious: counted.filter((_, i) => !usedC.has(i)),
  };
}
