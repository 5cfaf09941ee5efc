import type { Box } from '../../shared/domain/detection';
import type { Rule } from '../../shared/domain/rules';
import type { FrameMotion } from './motion-detector';

/** Why the detector runs (or not) on a frame. Written down so the Health page and the bench can say it. */
export type GateReason =
  /** Gating is off for this camera: every analysed frame is detected. */
  | 'off'
  /** The motion background is still being learnt (first frames of a run). */
  | 'warm-up'
  /** The camera has live tracks (a person standing still included): keep detecting until they are gone. */
  | 'tracks'
  /** Something moves in a region that matters. */
  | 'motion'
  /** The whole picture changed (lights, camera moved): detect while the background is relearnt. */
  | 'global-change'
  /** Shortly after motion: a person who stopped right after entering is still looked for. */
  | 'hold'
  /** Nothing moves, no tracks: the low keep-alive rate (nobody who stands still from the start is missed for long). */
  | 'keep-alive'
  /** Skipped: nothing moves where it matters, no tracks. */
  | 'idle';

export interface GateDecision {
  detect: boolean;
  reason: GateReason;
}

export interface DetectionGateOptions {
  enabled: boolean;
  /** Regions that matter (normalised boxes); null: the whole frame. See `gateRegions`. */
  regions: readonly Box[] | null;
  /** Detect at least this often with nothing moving, ms (default 2 000). */
  keepAliveMs?: number;
  /** Keep detecting this long after the last relevant motion, ms (default 1 000). */
  holdMs?: number;
}

/**
 * Decides per analysed frame whether the detector runs (motion-gated detection). Transitions:
 *   warm-up --(background learnt)--> idle
 *   idle --(motion in a region | global change)--> detecting --(a track is born)--> tracking
 *   tracking --(last track gone)--> hold --(holdMs without motion)--> idle
 *   idle --(keepAliveMs since the last detection)--> one keep-alive detection --> idle (or tracking if it finds someone)
 * Only tracks of something that moved hold the gate open: a static object set aside (a sign, a parked car) is
 * remembered by its box, so when the keep-alive detection finds it again as a new track it does not hold the gate
 * either, and it never keeps a camera detecting all night.
 */
export class DetectionGate {
  private lastDetectMs = -Infinity;
  private lastMotionMs = -Infinity;
  /** Boxes of static objects (stationary tracks), with when they were last seen. */
  private statics: Array<{ box: Box; seenMs: number }> = [];

  constructor(private options: DetectionGateOptions) {}

  setOptions(options: DetectionGateOptions): void {
    this.options = options;
  }

  /** A new run of the source (reconnect): the next frames are detected until the motion background is warm. */
  reset(): void {
    this.lastDetectMs = -Infinity;
    this.lastMotionMs = -Infinity;
  }

  /**
   * `tracks`: the camera's live tracks after the previous analysed frame. Returns whether to run the detector on
   * this frame, and why.
   */
  decide(nowMs: number, motion: FrameMotion | null, tracks: ReadonlyArray<GateTrack>): GateDecision {
    const d = this.judge(nowMs, motion, this.holding(nowMs, tracks));
    if (d.detect) this.lastDetectMs = nowMs;
    return d;
  }

  private judge(nowMs: number, motion: FrameMotion | null, liveTracks: number): GateDecision {
    const o = this.options;
    if (!o.enabled) return { detect: true, reason: 'off' };
    if (!motion || !motion.warm) return { detect: true, reason: 'warm-up' };
    if (motion.global) {
      this.lastMotionMs = nowMs;
      return { detect: true, reason: 'global-change' };
    }
    if (motion.boxes.some((b) => inRegions(b, o.regions))) {
      this.lastMotionMs = nowMs;
      return { detect: true, reason: liveTracks > 0 ? 'tracks' : 'motion' };
    }
    if (liveTracks > 0) return { detect: true, reason: 'tracks' };
    if (nowMs - this.lastMotionMs < (o.holdMs ?? 1_000)) return { detect: true, reason: 'hold' };
    if (nowMs - this.lastDetectMs >= (o.keepAliveMs ?? 2_000)) return { detect: true, reason: 'keep-alive' };
    return { detect: false, reason: 'idle' };
  }

  /** Tracks that hold the gate open; remembers static objects (see the class comment). */
  private holding(nowMs: number, tracks: ReadonlyArray<GateTrack>): number {
    let n = 0;
    for (const t of tracks) {
      if (t.stationary && !t.moved) {
        const known = this.statics.find((s) => iou(s.box, t.box) > 0.5);
        if (known) {
          known.box = t.box;
          known.seenMs = nowMs;
        } else this.statics.push({ box: t.box, seenMs: nowMs });
        continue;
      }
      if (!t.moved && this.statics.some((s) => iou(s.box, t.box) > 0.5)) continue;
      n += 1;
    }
    this.statics = this.statics.filter((s) => nowMs - s.seenMs < STATIC_MEMORY_MS);
    return n;
  }
}

/** What the gate needs of a track. */
export interface GateTrack {
  box: Box;
  /** Never moved since it appeared, for long enough to be called a static object. */
  stationary: boolean;
  moved: boolean;
}

/** A static object not seen for this long is forgotten (it was taken away). */
const STATIC_MEMORY_MS = 10 * 60_000;

const iou = (a: Box, b: Box): number => {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const i = w * h;
  return i / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - i);
};

const overlaps = (a: Box, b: Box): boolean => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
const inRegions = (box: Box, regions: readonly Box[] | null): boolean => regions === null || regions.some((r) => overlaps(box, r));

/** Share of the frame around each rule that counts as "near" it: people are found well before they reach a line. */
export const GATE_MARGIN = 0.15;

/**
 * The regions where motion matters: each enabled rule's bounding box grown by GATE_MARGIN of the frame; null (the
 * whole frame) when the camera has no rules or the regions cover most of it anyway.
 */
export function gateRegions(rules: readonly Rule[], margin = GATE_MARGIN): Box[] | null {
  const active = rules.filter((r) => r.enabled !== false && r.points.length > 0);
  if (!active.length) return null;
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const boxes = active.map((r): Box => {
    const xs = r.points.map((p) => p[0]);
    const ys = r.points.map((p) => p[1]);
    return [clamp(Math.min(...xs) - margin), clamp(Math.min(...ys) - margin), clamp(Math.max(...xs) + margin), clamp(Math.max(...ys) + margin)];
  });
  const area = boxes.reduce((s, b) => s + (b[2] - b[0]) * (b[3] - b[1]), 0);
  return area >= 0.8 ? null : boxes;
}
