import type { Box, Detection } from '../../shared/domain/detection';
import { boxCenter, iou } from '../../shared/geometry/box';
import { solveAssignment } from './assignment';
import { KalmanBox } from './kalman-box';
import { DEFAULT_TRACKER_CONFIG, type TrackerConfig } from './tracker-config';

/** One track as reported after a frame. */
export interface TrackedObject {
  /** Confirmed id, unique per tracker (camera), from 1; 0 while the track is tentative. */
  id: number;
  cls: string;
  classId: number;
  /** Measured box when matched this frame, else the motion model's prediction. */
  box: Box;
  /** Score of the last matched detection. */
  score: number;
  confirmed: boolean;
  /** True when not matched this frame (the box is a prediction). */
  predicted: boolean;
  /** Never moved since it appeared (a sign, a poster, a mannequin): kept out of counts. */
  stationary: boolean;
  /** The centre has moved more than the stationary threshold since the track appeared. */
  moved: boolean;
  /** Centre velocity, normalised units per second. */
  velocity: [number, number];
  /** Index of the matched detection in this frame's input, or null. */
  detection: number | null;
  /** Time (s) the track was first seen (while still tentative). */
  born: number;
  /** Box of its first detection: a newly confirmed track's rules start from where it was first seen. */
  firstBox: Box;
}

type TrackPhase = 'tentative' | 'tracked' | 'lost';

interface Track {
  uid: number;
  id: number;
  phase: TrackPhase;
  cls: string;
  classId: number;
  kf: KalmanBox;
  box: Box;
  score: number;
  hits: number;
  born: number;
  firstBox: Box;
  lastSeen: number;
  lastPredicted: number;
  moved: boolean;
  detection: number | null;
}

interface StaticPlace {
  box: Box;
  cls: string;
  until: number;
}

/**
 * ByteTrack-class multi-object tracker: Kalman constant-velocity prediction, two-stage optimal association
 * (high-score detections first, then low-score ones extend live tracks only), confirmation after k hits, a lost
 * buffer in seconds, per-class tracks and a stationary-object flag.
 */
export class ByteTracker {
  private readonly cfg: TrackerConfig;
  private tracks: Track[] = [];
  private staticPlaces: StaticPlace[] = [];
  private nextUid = 1;
  private nextId = 1;
  private lastT = -Infinity;

  constructor(config: Partial<TrackerConfig> = {}) {
    this.cfg = { ...DEFAULT_TRACKER_CONFIG, ...config };
  }

  /** Feeds one frame's detections at stream time t (seconds, non-decreasing). */
  update(detections: readonly Detection[], t: number): TrackedObject[] {
    if (t < this.lastT) t = this.lastT; // tolerate a non-monotonic timestamp instead of corrupting the filters
    const frameDt = Number.isFinite(this.lastT) ? t - this.lastT : 0;
    this.lastT = t;
    const cfg = this.cfg;
    const gate = Math.min(cfg.distanceGate, cfg.maxSpeed * frameDt);
    for (const tr of this.tracks) {
      tr.kf.predict(t - tr.lastPredicted);
      tr.lastPredicted = t;
      tr.detection = null;
    }
    const idx = detections.map((_, i) => i).filter((i) => detections[i]!.score >= cfg.lowScore);
    const high = idx.filter((i) => detections[i]!.score >= cfg.highScore);
    const low = idx.filter((i) => detections[i]!.score < cfg.highScore);

    const active = this.tracks.filter((tr) => tr.phase !== 'tentative');
    const tentative = this.tracks.filter((tr) => tr.phase === 'tentative');

    // Stage 1: confirmed (tracked + lost) tracks vs high-score detections.
    const s1 = this.associate(active, high, detections, cfg.matchIou, gate);
    for (const [tr, d] of s1.matches) this.apply(tr, detections[d]!, d, t);
    // Stage 2: still-unmatched live tracks vs low-score detections (IoU only).
    const live = s1.tracks.filter((tr) => tr.phase === 'tracked');
    const s2 = this.associate(live, low, detections, cfg.lowMatchIou, 0);
    for (const [tr, d] of s2.matches) this.apply(tr, detections[d]!, d, t);
    // Stage 3: tentative tracks vs the remaining high-score detections.
    const s3 = this.associate(tentative, s1.dets, detections, cfg.matchIou, gate);
    for (const [tr, d] of s3.matches) this.apply(tr, detections[d]!, d, t);

    for (const tr of s2.tracks) tr.phase = 'lost';
    for (const tr of s1.tracks) if (tr.phase === 'tracked') tr.phase = 'lost';
    this.tracks = this.tracks.filter((tr) => {
      if (tr.detection !== null) return true;
      if (tr.phase === 'tentative') return t - tr.lastSeen <= cfg.tentativeMaxGapSeconds;
      // A lost track predicted out of the frame has left: keeping it would let it grab someone coming in there.
      const [cx, cy] = boxCenter(tr.kf.box());
      if (cx < 0 || cx > 1 || cy < 0 || cy > 1) return false;
      return t - tr.lastSeen <= cfg.lostSeconds;
    });
    for (const d of s3.dets) {
      const det = detections[d]!;
      if (det.score < cfg.newTrackScore) continue;
      this.tracks.push(this.spawn(det, d, t));
    }
    this.removeDuplicates();
    this.rememberStatic(t);
    return this.tracks.filter((tr) => tr.phase !== 'lost' || tr.id > 0).map((tr) => this.report(tr, t));
  }

  /** Forgets every track (ids keep increasing). */
  reset(): void {
    this.tracks = [];
    this.staticPlaces = [];
    this.lastT = -Infinity;
  }

  private associate(
    tracks: Track[],
    dets: number[],
    all: readonly Detection[],
    minIou: number,
    gate: number,
  ): { matches: Array<[Track, number]>; tracks: Track[]; dets: number[] } {
    if (!tracks.length || !dets.length) return { matches: [], tracks, dets };
    const preds = tracks.map((tr) => tr.kf.box());
    const cost = tracks.map((tr, i) =>
      dets.map((d) => {
        const det = all[d]!;
        if (det.cls !== tr.cls) return Infinity;
        const o = iou(preds[i]!, det.box);
        if (o >= minIou) return 1 - o;
        if (gate <= 0) return Infinity;
        const p = preds[i]!;
        const hp = p[3] - p[1];
        const hd = det.box[3] - det.box[1];
        if (hd <= 0 || hp <= 0 || hd / hp > 2 || hp / hd > 2) return Infinity;
        const [pcx, pcy] = boxCenter(p);
        const [dcx, dcy] = boxCenter(det.box);
        const dist = Math.hypot(pcx - dcx, pcy - dcy) / ((hp + hd) / 2);
        if (dist >= gate) return Infinity;
        return 1 - minIou * 0.99 * (1 - dist / gate);
      }),
    );
    const pairs = solveAssignment(cost, 1);
    const usedT = new Set<number>();
    const usedD = new Set<number>();
    const matches: Array<[Track, number]> = [];
    for (const [i, j] of pairs) {
      usedT.add(i);
      usedD.add(j);
      matches.push([tracks[i]!, dets[j]!]);
    }
    return { matches, tracks: tracks.filter((_, i) => !usedT.has(i)), dets: dets.filter((_, j) => !usedD.has(j)) };
  }

  private apply(tr: Track, det: Detection, index: number, t: number): void {
    tr.kf.update(det.box);
    tr.box = [...det.box];
    tr.score = det.score;
    tr.classId = det.classId;
    tr.hits += 1;
    tr.lastSeen = t;
    tr.detection = index;
    if (!tr.moved) {
      // Any edge moving counts (a person walking in from the frame edge grows while the centre barely moves).
      const h = Math.max(det.box[3] - det.box[1], 0.02);
      const shift = Math.max(...det.box.map((v, i) => Math.abs(v - tr.firstBox[i]!)));
      if (shift > this.cfg.stationaryMotion * h || this.enteredAcrossBorder(tr.firstBox, det.box)) tr.moved = true;
    }
    if (tr.phase === 'tentative') {
      if (tr.hits >= this.cfg.confirmHits) {
        tr.phase = 'tracked';
        tr.id = this.nextId++;
      }
    } else tr.phase = 'tracked';
  }

  private spawn(det: Detection, index: number, t: number): Track {
    const tr: Track = {
      uid: this.nextUid++,
      id: 0,
      phase: 'tentative',
      cls: det.cls,
      classId: det.classId,
      kf: new KalmanBox(det.box),
      box: [...det.box],
      score: det.score,
      hits: 1,
      born: t,
      firstBox: [...det.box],
      lastSeen: t,
      lastPredicted: t,
      moved: false,
      detection: index,
    };
    if (this.cfg.confirmHits <= 1) {
      tr.phase = 'tracked';
      tr.id = this.nextId++;
    }
    return tr;
  }

  /** The first box touched a frame border (within edgeEntryMargin) and this box has pulled in from it by more. */
  private enteredAcrossBorder(first: Box, now: Box): boolean {
    const m = this.cfg.edgeEntryMargin;
    if (!(m > 0)) return false;
    return (first[0] <= m && now[0] > 2 * m) || (first[1] <= m && now[1] > 2 * m) || (first[2] >= 1 - m && now[2] < 1 - 2 * m) || (first[3] >= 1 - m && now[3] < 1 - 2 * m);
  }

  /** A lost track sitting on a live one (IoU > 0.85) is a stale copy: drop it. */
  private removeDuplicates(): void {
    const live = this.tracks.filter((tr) => tr.phase === 'tracked');
    this.tracks = this.tracks.filter((tr) => tr.phase !== 'lost' || !live.some((l) => l.cls === tr.cls && iou(l.box, tr.kf.box()) > 0.85));
  }

  private isStationary(tr: Track, t: number): boolean {
    if (tr.moved) return false;
    if (t - tr.born >= this.cfg.stationarySeconds) return true;
    return this.staticPlaces.some((p) => p.cls === tr.cls && iou(p.box, tr.box) >= 0.5);
  }

  private rememberStatic(t: number): void {
    this.staticPlaces = this.staticPlaces.filter((p) => p.until >= t);
    for (const tr of this.tracks) {
      if (tr.detection === null || tr.moved || t - tr.born < this.cfg.stationarySeconds) continue;
      const place = this.staticPlaces.find((p) => p.cls === tr.cls && iou(p.box, tr.box) >= 0.5);
      if (place) place.until = t + this.cfg.staticMemorySeconds;
      else this.staticPlaces.push({ box: [...tr.box], cls: tr.cls, until: t + this.cfg.staticMemorySeconds });
    }
  }

  private report(tr: Track, t: number): TrackedObject {
    const predicted = tr.detection === null;
    return {
      id: tr.id,
      cls: tr.cls,
      classId: tr.classId,
      box: predicted ? tr.kf.box() : [...tr.box],
      score: tr.score,
      confirmed: tr.id > 0,
      predicted,
      stationary: this.isStationary(tr, t),
      moved: tr.moved,
      velocity: tr.kf.velocity(),
      detection: tr.detection,
      born: tr.born,
      firstBox: tr.firstBox,
    };
  }
}
