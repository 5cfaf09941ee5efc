import type { LineCrossEvent } from '../../shared/domain/analytics';
import type { LineRule } from '../../shared/domain/rules';
import { boxAnchor } from '../../shared/geometry/box';
import type { Point } from '../../shared/geometry/point';
import { pathCrossesPolyline, signedDistanceToPolyline } from '../../shared/geometry/polyline';
import type { RuleTrackInput, RulesEngineConfig } from './rule-input';

type Side = -1 | 0 | 1;

/** Per track, per line: what is known about the side the track is on. Moves to a successor track on a break. */
export interface LineTrackState {
  /** Side the track has settled on (beyond the hysteresis band for long enough); 0 = not known yet. */
  settled: Side;
  /** Side currently being confirmed, with its frame count and start time. */
  candidate: Side;
  candidateFrames: number;
  candidateSince: number;
  /** Whether the last change of raw side since the last settle happened within the finite line (null: none). */
  crossedWithin: boolean | null;
  /** Directions already counted for this track (once per direction). */
  counted: { in: boolean; out: boolean };
  /** Last anchor and its raw signed distance. */
  prev: Point | null;
  prevDistance: number;
}

export function newLineTrackState(): LineTrackState {
  return { settled: 0, candidate: 0, candidateFrames: 0, candidateSince: 0, crossedWithin: null, counted: { in: false, out: false }, prev: null, prevDistance: 0 };
}

/** Geometry of one line rule, prepared once. */
export class LineRuleEvaluator {
  private readonly pts: Point[];
  private readonly hPos: number;
  private readonly hNeg: number;
  private readonly openEnds: { start: boolean; end: boolean };

  constructor(
    readonly rule: LineRule,
    private readonly cfg: RulesEngineConfig,
  ) {
    this.pts = rule.points.map((p) => [p[0], p[1]] as Point);
    // A line near the frame edge: an anchor can never get further than the border, so the band on that side
    // shrinks to at most half of the room there.
    const probes: Point[] = [];
    for (const x of [0, 0.5, 1]) for (const y of [0, 0.5, 1]) probes.push([x, y]);
    const reach = probes.map((p) => signedDistanceToPolyline(p, this.pts));
    this.hPos = Math.min(rule.hysteresis, 0.5 * Math.max(0, ...reach));
    this.hNeg = Math.min(rule.hysteresis, 0.5 * Math.max(0, ...reach.map((r) => -r)));
    const nearEdge = (p: Point) => Math.min(p[0], p[1], 1 - p[0], 1 - p[1]) <= cfg.edgeSnap;
    this.openEnds = { start: nearEdge(this.pts[0]!), end: nearEdge(this.pts[this.pts.length - 1]!) };
  }

  applies(cls: string): boolean {
    return this.rule.enabled && this.rule.classes.includes(cls);
  }

  /** Folds one observation into the state; returns a crossing event when one is counted. */
  observe(st: LineTrackState, obs: RuleTrackInput, t: number): LineCrossEvent | null {
    const p = boxAnchor(obs.box, this.rule.anchor);
    const d = signedDistanceToPolyline(p, this.pts);
    // A newborn (no inherited memory) starts on the side it was first seen on, even inside the band: it was
    // seen there, so leaving the band on the other side is a crossing. Born beyond the band on the far side,
    // it simply starts there and never counts.
    if (!st.prev && st.settled === 0 && d !== 0) st.settled = d > 0 ? 1 : -1;
    if (st.prev) {
      const hit = pathCrossesPolyline(st.prev, p, this.pts, this.cfg.lineEndTolerance, this.openEnds);
      const signChanged = Math.sign(d) !== Math.sign(st.prevDistance) && d !== 0;
      if (signChanged || hit) st.crossedWithin = hit !== null;
    }
    st.prev = p;
    if (d !== 0) st.prevDistance = d;

    const side: Side = d >= this.hPos && d > 0 ? 1 : d <= -this.hNeg && d < 0 ? -1 : 0;
    if (side === 0) return null;
    if (side === st.candidate) st.candidateFrames += 1;
    else {
      st.candidate = side;
      st.candidateFrames = 1;
      st.candidateSince = t;
    }
    if (st.candidate === st.settled) return null;
    if (st.candidateFrames < this.rule.minFrames || t - st.candidateSince < this.rule.minSeconds) return null;
    let event: LineCrossEvent | null = null;
    if (st.settled !== 0 && st.crossedWithin === true) {
      const dir = st.candidate > 0 ? 'in' : 'out';
      if (!st.counted[dir]) {
        st.counted[dir] = true;
        event = { type: 'line.cross', rule: this.rule.id, dir, track: obs.id, t, cls: obs.cls, score: obs.score, box: [...obs.box] };
      }
    }
    st.settled = st.candidate;
    st.crossedWithin = null;
    return event;
  }
}
