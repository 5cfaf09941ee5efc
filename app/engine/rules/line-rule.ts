import type { LineCrossEvent } from '../../shared/domain/analytics';
import type { Box } from '../../shared/domain/detection';
import type { LineRule } from '../../shared/domain/rules';
import { boxAnchor } from '../../shared/geometry/box';
import type { Point } from '../../shared/geometry/point';
import { pathCrossesPolyline, signedDistanceToPolyline } from '../../shared/geometry/polyline';
import { distancePointSegment } from '../../shared/geometry/segment';
import type { RuleTrackInput, RulesEngineConfig } from './rule-input';

type Side = -1 | 0 | 1;

/** A newborn stepping out of a group takes the carrier's crossing this long (s) after the carrier settled it ... */
const EMERGE_SECONDS = 2;
/** ... when first seen no further from the line than this many of its box widths (about one body height). */
const EMERGE_REACH = 2.5;

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
  /** Last anchor, its raw signed distance and when it was seen. */
  prev: Point | null;
  prevDistance: number;
  prevT: number;
  /**
   * When the anchor's path last went from one side of the line to the other (interpolated between the two
   * observations either side, so across an occlusion it falls inside the gap); null: not since the last settle.
   */
  crossedAt: number | null;
  /** Last time the anchor was well clear of the line (`clearance`) on the settled side. */
  clearAt: number;
  /** A visit to the band from the settled side that has not ended yet (see LineBounce). */
  excursion: { from: Side; since: number; depth: number; at: number; point: Point } | null;
  /** The last crossing counted: the side it came from, when the path crossed, and when it was settled. */
  lastCross: { from: -1 | 1; at: number; settledAt: number } | null;
}

/**
 * A track that walked up to the line from one side, into the band, and back out to the same side, well clear
 * of the line again: a U-turn, or (when another track did the mirror image at the same place and time) two
 * people who passed each other at the line while the tracker swapped their identities.
 */
export interface LineBounce {
  rule: string;
  track: number;
  /** The side it came from and went back to. */
  from: -1 | 1;
  /** When and where it got deepest into the band (closest to, or furthest past, the line). */
  at: number;
  point: Point;
  /** Box height, for distances. */
  size: number;
  obs: RuleTrackInput;
}

export function newLineTrackState(): LineTrackState {
  return { settled: 0, candidate: 0, candidateFrames: 0, candidateSince: 0, crossedWithin: null, prev: null, prevDistance: 0, prevT: 0, crossedAt: null, clearAt: -Infinity, excursion: null, lastCross: null };
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

  /**
   * Seeds a new track's state from its first box. A first box cut by the frame border belongs to an object
   * coming in across that border, so it is taken to come from the stretch of border the box covers (where it
   * came from): an object first detected only once it is well into the frame still has its side of a line near
   * that edge. Along that border the box tells little (a person half in view is detected as an arm or a head and
   * shoulders), so when that stretch of border lies on both sides of the line, the side is left unknown and the
   * track's first settled side is not a crossing (a person walking in from the left edge under a horizontal
   * line is not counted crossing it as more of them comes into view). A box in a corner comes from the corner.
   */
  observeBirth(st: LineTrackState, obs: RuleTrackInput, t: number): void {
    const b = obs.box;
    const p = boxAnchor(b, this.rule.anchor);
    const { x, y } = this.borderCut(b);
    if (x !== null) p[0] = x;
    if (y !== null) p[1] = y;
    if (this.cutAcrossLine(b)) {
      st.prev = p;
      st.prevDistance = signedDistanceToPolyline(p, this.pts);
      st.prevT = t;
      return;
    }
    this.observePoint(st, p, obs, t);
  }

  /**
   * Whether the box is cut by the frame border (on one axis) along a stretch of border that lies on both sides
   * of the line: the box then shows only the part of a person in view (an arm, a head and shoulders, legs), and
   * where its anchor falls along that border says nothing about which side the person is on.
   */
  private cutAcrossLine(b: Box): boolean {
    const { x, y } = this.borderCut(b);
    if ((x === null) === (y === null)) return false;
    const ends: Point[] = x !== null ? [[x, b[1]], [x, b[3]]] : [[b[0], y!], [b[2], y!]];
    const [d0, d1] = ends.map((e) => signedDistanceToPolyline(e, this.pts));
    return Math.sign(d0!) !== Math.sign(d1!);
  }

  /**
   * The frame border a box is cut by (within edgeEntryMargin), per axis: x 0 or 1 for the left or right border, y 0
   * or 1 for the top or bottom; null where it is not cut, or cut on both sides (it spans the frame).
   */
  private borderCut(b: Box): { x: 0 | 1 | null; y: 0 | 1 | null } {
    const snap = this.cfg.edgeEntryMargin;
    if (!(snap > 0)) return { x: null, y: null };
    const x = (b[0] <= snap) !== (b[2] >= 1 - snap) ? (b[0] <= snap ? 0 : 1) : null;
    const y = (b[1] <= snap) !== (b[3] >= 1 - snap) ? (b[1] <= snap ? 0 : 1) : null;
    return { x, y };
  }

  /**
   * A newborn that stepped out of a group: first seen beside `carrier` (a live track whose box held both people
   * until the detector told them apart), near the line, on the side the carrier is settling on or settled on at
   * most EMERGE_SECONDS ago. It came from where the carrier came from: its sides start there, so settling where it
   * stands counts its own crossing, timed when the carrier's path crossed. A carrier merely inside the band
   * (wobbling at the line) is no evidence, and someone first seen further from the line than a person walks in
   * that time (EMERGE_REACH box widths, about one body height) is somebody else.
   */
  emergeFrom(st: LineTrackState, first: RuleTrackInput, carrier: LineTrackState, t: number): void {
    const b = first.box;
    if (Math.abs(signedDistanceToPolyline(boxAnchor(b, this.rule.anchor), this.pts)) > EMERGE_REACH * (b[2] - b[0])) return;
    let from: Side = 0;
    let at: number | null = null;
    if (carrier.settled !== 0 && carrier.candidate === -carrier.settled && carrier.crossedWithin === true && carrier.crossedAt !== null) {
      from = carrier.settled;
      at = carrier.crossedAt;
    } else if (carrier.lastCross && t - carrier.lastCross.settledAt <= EMERGE_SECONDS) {
      from = carrier.lastCross.from;
      at = carrier.lastCross.at;
    }
    if (from === 0 || st.settled !== -from) return;
    st.settled = from;
    st.crossedWithin = true;
    st.crossedAt = at;
  }

  /**
   * Folds one observation into the state; returns a crossing event when one is counted, or a bounce when the
   * track came back from the band to the side it came from (the rules engine pairs bounces, see LineBounce).
   */
  observe(st: LineTrackState, obs: RuleTrackInput, t: number): LineCrossEvent | LineBounce | null {
    return this.observePoint(st, boxAnchor(obs.box, this.rule.anchor), obs, t);
  }

  /** Distance from the line beyond which an anchor is "well clear" of it (approaching or leaving for real). */
  private clearance(obs: RuleTrackInput): number {
    return Math.max(3 * Math.max(this.hPos, this.hNeg), 0.5 * (obs.box[2] - obs.box[0]));
  }

  private observePoint(st: LineTrackState, p: Point, obs: RuleTrackInput, t: number): LineCrossEvent | LineBounce | null {
    const d = signedDistanceToPolyline(p, this.pts);
    // A newborn (no inherited memory) starts on the side it was first seen on, even inside the band: it was
    // seen there, so leaving the band on the other side is a crossing. Born beyond the band on the far side,
    // it simply starts there and never counts.
    if (!st.prev && st.settled === 0 && d !== 0) st.settled = d > 0 ? 1 : -1;
    if (st.prev) {
      const hit = pathCrossesPolyline(st.prev, p, this.pts, this.cfg.lineEndTolerance, this.openEnds);
      const signChanged = Math.sign(d) !== Math.sign(st.prevDistance) && d !== 0;
      if (signChanged || hit) st.crossedWithin = hit !== null;
      if (signChanged) {
        const a = Math.abs(st.prevDistance);
        st.crossedAt = st.prevT + ((t - st.prevT) * a) / (a + Math.abs(d));
      }
    }
    st.prev = p;
    st.prevT = t;
    if (d !== 0) st.prevDistance = d;

    // A box cut by the border across the line (a person walking out of the frame there) shows only part of them:
    // it says nothing about their side (no settling, no visit to the band), only that the path went on.
    if (this.cutAcrossLine(obs.box)) return null;
    const side: Side = d >= this.hPos && d > 0 ? 1 : d <= -this.hNeg && d < 0 ? -1 : 0;
    const bounce = this.followExcursion(st, p, d, side, obs, t);
    if (bounce) return bounce;
    if (side === 0) {
      // Back in the band: the new side has to be held again from scratch (consecutive observations).
      st.candidate = 0;
      st.candidateFrames = 0;
      return null;
    }
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
      // Timed when the path crossed the line, not when the far side was confirmed (minFrames later, or after an
      // occlusion at the line, when a successor settled it).
      const at = st.crossedAt !== null && st.crossedAt <= t ? st.crossedAt : t;
      event = { type: 'line.cross', rule: this.rule.id, dir, track: obs.id, t: at, cls: obs.cls, score: obs.score, box: [...obs.box] };
      st.lastCross = { from: st.settled as -1 | 1, at, settledAt: t };
    }
    st.settled = st.candidate;
    st.crossedWithin = null;
    st.crossedAt = null;
    st.excursion = null;
    st.clearAt = -Infinity;
    return event;
  }

  /**
   * Follows a visit to the band from the settled side: it starts when a track that was well clear of the line
   * (within the last 2 s) enters the band, records its deepest point, and ends as a bounce when the track is well
   * clear on the same side again within 4 s. Settling on the other side (a crossing) ends it too.
   */
  private followExcursion(st: LineTrackState, p: Point, d: number, side: Side, obs: RuleTrackInput, t: number): LineBounce | null {
    if (st.settled === 0) return null;
    const towards = d * st.settled; // > 0 on the settled side; smaller = deeper
    const clear = towards >= this.clearance(obs);
    if (st.excursion && t - st.excursion.since > 4) st.excursion = null;
    if (side !== st.settled) {
      if (!st.excursion && t - st.clearAt <= 2) st.excursion = { from: st.settled, since: t, depth: towards, at: t, point: p };
      if (st.excursion && towards < st.excursion.depth) Object.assign(st.excursion, { depth: towards, at: t, point: p });
      return null;
    }
    if (!clear) return null;
    st.clearAt = t;
    const ex = st.excursion;
    st.excursion = null;
    if (!ex || !this.withinLine(ex.point)) return null;
    return { rule: this.rule.id, track: obs.id, from: ex.from as -1 | 1, at: ex.at, point: ex.point, size: obs.box[3] - obs.box[1], obs };
  }

  /** Whether a point in the band lies along the finite line (its ends lengthened by the tolerance). */
  private withinLine(p: Point): boolean {
    let best = Infinity;
    for (let i = 0; i + 1 < this.pts.length; i++) best = Math.min(best, distancePointSegment(p, this.pts[i]!, this.pts[i + 1]!));
    return best <= Math.max(this.hPos, this.hNeg) + this.cfg.lineEndTolerance || this.openEnds.start || this.openEnds.end;
  }

  /** The crossing a bounce stands for when its mirror image was seen: the person went on to the other side. */
  crossingFor(b: LineBounce): LineCrossEvent {
    const o = b.obs;
    // timed at the bounce's deepest point, where the two people passed each other
    return { type: 'line.cross', rule: this.rule.id, dir: b.from < 0 ? 'in' : 'out', track: o.id, t: b.at, cls: o.cls, score: o.score, box: [...o.box] };
  }
}
