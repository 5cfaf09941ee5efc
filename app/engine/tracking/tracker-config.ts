/** Tuning of the ByteTrack-class tracker. Times are in SECONDS (frame rates vary), distances normalised. */
export interface TrackerConfig {
  /** Detections at or above this score take part in the first association stage. */
  highScore: number;
  /** Detections below this score are ignored; those between lowScore and highScore only extend live tracks. */
  lowScore: number;
  /** A new (tentative) track is started only from an unmatched detection at or above this score. */
  newTrackScore: number;
  /** Minimum IoU between a track's prediction and a high-score detection (stage 1 and tentative stage). */
  matchIou: number;
  /** Minimum IoU for the low-score stage (stricter, low scores are often false). */
  lowMatchIou: number;
  /**
   * Fallback gate for fast movers / low fps: with IoU under matchIou, a pair still matches when the centre
   * distance is below min(distanceGate, maxSpeed x frame interval) box heights and the heights agree within a
   * factor of 2. Scaling with the frame interval keeps it inert at high fps, where it would only swap
   * identities between neighbours. 0 disables it.
   */
  distanceGate: number;
  /** Fastest plausible motion, box heights per second (bounds the fallback gate, see distanceGate). */
  maxSpeed: number;
  /** A tentative track becomes confirmed (gets an id, feeds rules) after this many matched frames ... */
  confirmHits: number;
  /** ... unless it went unmatched for longer than this (seconds) first, which discards it. */
  tentativeMaxGapSeconds: number;
  /** A confirmed track unmatched for longer than this (seconds) is removed; until then it can be re-found. */
  lostSeconds: number;
  /** A track none of whose box edges ever moved more than stationaryMotion box heights from where it was first
   * seen, over this long (s), is "stationary" (a sign, a poster) and kept out of counts. */
  stationarySeconds: number;
  /** Movement threshold for the stationary flag: largest edge shift from the first box, in box heights. */
  stationaryMotion: number;
  /**
   * A track first seen with a box edge this close to a frame border (normalised), whose box later pulls that
   * edge in by more than this much again, came in across the border: it has moved (it is no fixture), however
   * little its edges shifted after it was first detected (low fps, or a tall person detected only once mostly
   * in view). 0 disables it.
   */
  edgeEntryMargin: number;
  /** Places where stationary tracks stood are remembered this long (s): a new track there starts stationary. */
  staticMemorySeconds: number;
  /**
   * With appearance descriptors (tracking/appearance.ts): a track and a detection less alike than this (0..1)
   * never match, and between this and 1 their motion affinity is scaled down in proportion. 0.5: on the MOT
   * clips in ../shared, over 99 % of one person's looks 1 s apart are above it (half of them above 0.91),
   * while 6-9 % of the pairs of different people near each other are below it and half of them below 0.68-0.79,
   * so the scaling, more than the veto, is what separates them. 0 disables the veto (the scaling stays).
   */
  appearanceVeto: number;
  /** A lost track re-takes an unmatched detection this alike (and within walking reach). 0 disables it. */
  appearanceRecover: number;
  /**
   * The frame's width over its height. Boxes are normalised to the frame, so a step of 0.1 across a 16:9 frame
   * is 1.78 times as far as 0.1 down it: distances between boxes (the fallback gate, the walking reach of a
   * re-identification) are measured with x scaled by this, in frame heights, as box heights are. The camera sets
   * it from the source frame size (ByteTracker.setFrameAspect); 1 when unknown.
   */
  frameAspect: number;
}

export const DEFAULT_TRACKER_CONFIG: TrackerConfig = {
  highScore: 0.5,
  lowScore: 0.1,
  newTrackScore: 0.6,
  matchIou: 0.2,
  lowMatchIou: 0.4,
  distanceGate: 1.0,
  maxSpeed: 2,
  confirmHits: 3,
  tentativeMaxGapSeconds: 0.3,
  lostSeconds: 2,
  stationarySeconds: 20,
  stationaryMotion: 0.2,
  staticMemorySeconds: 120,
  edgeEntryMargin: 0.03,
  appearanceVeto: 0.5,
  appearanceRecover: 0.9,
  frameAspect: 1,
};
