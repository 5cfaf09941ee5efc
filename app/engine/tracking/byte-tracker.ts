import type { Box, Detection } from '../../shared/domain/detection';
import { boxCenter, iou } from '../../shared/geometry/box';
import { appearanceSimilarity } from './appearance';
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
  /** Running appearance (tracking/appearance.ts) of the detections it matched, or null when unknown. */
  look: Float32Array | null;
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

  /** Sets the frame's width over its height (TrackerConfig.frameAspect); ignored unless finite and above 0. */
  setFrameAspect(aspect: number): void {
    if (Number.isFinite(aspect) && aspect > 0) this.cfg.frameAspect = aspect;
  }

  /** This frame's appearance descriptors, one per detection (null entries: unknown). */
  private looks: ReadonlyArray<Float32Array | null> = [];
  private frameDets: readonly Detection[] = [];

  private looksOverlap(index: number): boolean {
    const box = this.frameDets[index]!.box;
    return this.frameDets.some((d, j) => j !== index && d.score >= this.cfg.lowScore && iou(d.box, box) > 0.1);
  }

  /**
   * Feeds one frame's detections at stream time t (seconds, non-decreasing), with their appearance descriptors
   * when the caller has the pixels (tracking/appearance.ts).
   */
  update(detections: readonly Detection[], t: number, appearances?: ReadonlyArray<Float32Array | null>): TrackedObject[] {
    this.looks = appearances && appearances.length === detections.length ? appearances : [];
    this.frameDets = detections;
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
    const unclaimed = this.recover(this.tracks.filter((tr) => tr.phase === 'lost' && tr.id > 0 && tr.detection === null), s3.dets, detections, t);
    for (const d of unclaimed) {
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
        const dist = Math.hypot((pcx - dcx) * this.cfg.frameAspect, pcy - dcy) / ((hp + hd) / 2);
        if (dist >= gate) return Infinity;
        return 1 - minIou * 0.99 * (1 - dist / gate);
      }).map((c, j) => this.withLook(c, tr, dets[j]!)),
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

  /**
   * Scales a pair's affinity (1 - cost) by how alike the track and the detection look: people who look alike
   * keep their motion-based cost, people who look different get a dearer one, and below `appearanceVeto`
   * similarity the pair cannot match at all. Without descriptors the cost is unchanged.
   */
  private withLook(cost: number, tr: Track, det: number): number {
    const look = this.looks[det];
    if (!Number.isFinite(cost) || !tr.look || !look) return cost;
    const v = this.cfg.appearanceVeto;
    const f = Math.min(1, Math.max(0, (appearanceSimilarity(tr.look, look) - v) / (1 - v)));
    return f <= 0 ? Infinity : 1 - (1 - cost) * f;
  }

  /**
   * Re-identification after an occlusion: a lost track whose prediction drifted away from the person can still
   * take an unmatched detection that looks like it (similarity >= appearanceRecover), of a plausible size, no
   * further from where it was last seen than it could have walked (1 box height plus 1.5 per second lost).
   */
  private recover(lost: Track[], dets: number[], all: readonly Detection[], t: number): number[] {
    if (!(this.cfg.appearanceRecover > 0) || !lost.length || !dets.length) return dets;
    const pairs: Array<{ tr: Track; d: number; sim: number }> = [];
    for (const tr of lost) {
      if (!tr.look || tr.phase !== 'lost') continue;
      const h = tr.box[3] - tr.box[1];
      const [lx, ly] = boxCenter(tr.box);
      for (const d of dets) {
        const det = all[d]!;
        const look = this.looks[d];
        if (!look || det.cls !== tr.cls) continue;
        const hd = det.box[3] - det.box[1];
        if (hd / h > 1.5 || h / hd > 1.5) continue;
        const [cx, cy] = boxCenter(det.box);
        if (Math.hypot((cx - lx) * this.cfg.frameAspect, cy - ly) / h > 1 + 1.5 * (t - tr.lastSeen)) continue;
        const sim = appearanceSimilarity(tr.look, look);
        if (sim >= this.cfg.appearanceRecover) pairs.push({ tr, d, sim });
      }
    }
    pairs.sort((a, b) => b.sim - a.sim);
    const usedT = new Set<Track>();
    const usedD = new Set<number>();
    for (const { tr, d } of pairs) {
      if (usedT.has(tr) || usedD.has(d)) continue;
      usedT.add(tr);
      usedD.add(d);
      tr.kf = new KalmanBox(all[d]!.box);
      this.apply(tr, all[d]!, d, t);
    }
    return dets.filter((d) => !usedD.has(d));
  }

  private apply(tr: Track, det: Detection, index: number, t: number): void {
    const look = this.looks[index];
    if (look) {
      // Learn the look only from a detection that stands clear of the others (an overlap mixes two people).
      const clear = !this.looksOverlap(index);
      if (!tr.look) tr.look = Float32Array.from(look);
      else if (clear) for (let k = 0; k < look.length; k++) tr.look[k] = 0.8 * tr.look[k]! + 0.2 * look[k]!;
    }
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
      look: this.looks[index] ? Float32Array.from(this.looks[index]) : null,
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

  /**
   * A lost track sitting on a live one (IoU > 0.85) is a stale copy: drop it — unless the two look different
   * (a person hidden behind another one, who will step out again).
   */
  private removeDuplicates(): void {
    const live = this.tracks.filter((tr) => tr.phase === 'tracked');
    const differ = (a: Track, b: Track) => a.look !== null && b.look !== null && appearanceSimilarity(a.look, b.look) < this.cfg.appearanceVeto;
    this.tracks = this.tracks.filter((tr) => tr.phase !== 'lost' || !live.some((l) => l.cls === tr.cls && iou(l.box, tr.kf.box()) > 0.85 && !differ(l, tr)));
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
