import type { LineCrossEvent, RuleCounters } from '../../shared/domain/analytics';
import type { Detection } from '../../shared/domain/detection';
import type { Rule } from '../../shared/domain/rules';
import { CameraAnalytics, type CameraAnalyticsOptions } from '../rules/camera-analytics';
import { DetectionGate, gateRegions, type GateTrack } from '../motion/detection-gate';
import type { FrameMotion } from '../motion/motion-detector';
import { groundTruthCrossings, matchCrossings } from './crossing-eval';
import type { MotFrames } from './mot-gt';
import { computeMotMetrics, type MotMetrics } from './mot-metrics';

/** One analysed frame of a clip: its stream time and the detector's output (tracking thresholds). */
export interface AnalysedFrame {
  t: number;
  detections: Detection[];
  /** Appearance descriptor per detection (null: too small), as the tracker gets it in a camera. */
  appearances?: Array<ArrayLike<number> | null>;
  /** What moved (motion-gated detection), when the clip was analysed with the motion check. */
  motion?: FrameMotion;
}

export interface LineScore {
  rule: string;
  truth: number;
  counted: number;
  matched: number;
  missed: Array<{ dir: string; t: number; track: number }>;
  spurious: Array<{ dir: string; t: number; track: number }>;
}

export interface CountCheck {
  rule: string;
  counter: string;
  expected: number;
  counted: number;
}

export interface EmptyCheck {
  rule: string;
  window: [number, number];
  /** Analysed frames in the window where the zone held someone. */
  occupiedFrames: number;
}

export interface ClipScore {
  name: string;
  frames: number;
  fps: number;
  /** MOT metrics (null without MOT ground truth). */
  mot: MotMetrics | null;
  lines: LineScore[];
  counts: CountCheck[];
  empty: EmptyCheck[];
  counters: RuleCounters;
  /** Motion-gated runs: analysed frames the detector ran on (the others went to the tracker with no detections). */
  gate?: { detectedFrames: number; frames: number };
}

export interface ScoreInput {
  name: string;
  rules: readonly Rule[];
  frames: readonly AnalysedFrame[];
  /** Source frame rate (ground-truth frame N is at (N - 1) / sourceFps). */
  sourceFps: number;
  gt: MotFrames | null;
  classes: readonly string[];
  tolerance: number;
  expect?: Record<string, Partial<Record<string, number>>>;
  empty?: Record<string, Array<[number, number]>>;
  options?: CameraAnalyticsOptions;
  /**
   * Score as a camera with motion-gated detection runs it: the camera's DetectionGate decides per frame from the
   * frame's motion and the live tracks whether the detector runs; a frame it skips reaches the tracker with no
   * detections, exactly as in a camera. Frames without motion data are detected.
   */
  gate?: boolean;
}

/**
 * The clip played backwards: the analysed frames in reverse order and the ground truth mirrored in time, both
 * about the last analysed frame (ground-truth frame N becomes end - N). Detection looks at each frame alone, so
 * the detections of a reversed clip are those of the clip, reversed; tracking and counting see new footage.
 */
export function reversedClip(frames: readonly AnalysedFrame[], gt: MotFrames | null, sourceFps: number): { frames: AnalysedFrame[]; gt: MotFrames | null } {
  if (!frames.length) return { frames: [], gt };
  const end = Math.round(frames.at(-1)!.t * sourceFps);
  const reversed = frames
    .slice()
    .reverse()
    .map((f) => ({ ...f, t: Math.max(0, end - Math.round(f.t * sourceFps)) / sourceFps }));
  if (!gt) return { frames: reversed, gt };
  const mirrored: MotFrames = new Map();
  for (const [n, boxes] of gt) if (n <= end) mirrored.set(end - n, boxes);
  return { frames: reversed, gt: mirrored };
}

/**
 * Scores one clip exactly as a camera runs it: tracker + rules (CameraAnalytics) over the analysed frames, then
 * MOT metrics against the ground truth on the analysed frames, counted crossings matched one to one to the
 * crossings the same rules find on the full-rate ground truth, hand counts and empty-zone windows.
 */
export function scoreClip(s: ScoreInput): ClipScore {
  const ca = new CameraAnalytics(s.rules, s.options);
  const hyp: MotFrames = new Map();
  const analysedGtFrames = new Set<number>();
  const counted: LineCrossEvent[] = [];
  const occupied = new Map<string, number[]>();
  const gate = s.gate ? new DetectionGate({ enabled: true, regions: gateRegions(s.rules) }) : null;
  let tracks: readonly GateTrack[] = [];
  let detectedFrames = 0;
  for (const f of s.frames) {
    const detect = !gate || !f.motion || gate.decide(f.t * 1000, f.motion, tracks).detect;
    if (detect) detectedFrames += 1;
    const r = detect ? ca.update(f.detections, f.t, 0, f.appearances?.map((a) => (a ? Float32Array.from(a) : null))) : ca.update([], f.t, 0, []);
    tracks = r.tracks;
    const gtFrame = Math.round(f.t * s.sourceFps);
    analysedGtFrames.add(gtFrame);
    hyp.set(gtFrame, r.tracks.filter((t) => t.confirmed && !t.predicted && s.classes.includes(t.cls)).map((t) => ({ id: t.id, box: t.box })));
    for (const e of r.events) if (e.type === 'line.cross') counted.push(e);
    for (const [id, c] of Object.entries(r.counters)) if (c.kind === 'zone' && c.occupancy > 0) (occupied.get(id) ?? occupied.set(id, []).get(id)!).push(f.t);
  }
  let mot: MotMetrics | null = null;
  const lines: LineScore[] = [];
  if (s.gt) {
    const gtAnalysed: MotFrames = new Map([...s.gt].filter(([f]) => analysedGtFrames.has(f)));
    mot = computeMotMetrics(gtAnalysed, hyp);
    const truth = groundTruthCrossings(s.rules, s.gt, s.sourceFps);
    const m = matchCrossings(counted, truth, s.tolerance);
    const pick = (e: LineCrossEvent) => ({ dir: e.dir, t: Math.round(e.t * 100) / 100, track: e.track });
    for (const r of s.rules) {
      if (r.type !== 'line') continue;
      const mine = (e: LineCrossEvent) => e.rule === r.id;
      lines.push({
        rule: r.id,
        truth: truth.filter(mine).length,
        counted: counted.filter(mine).length,
        matched: m.matched.filter((p) => mine(p.truth)).length,
        missed: m.missed.filter(mine).map(pick),
        spurious: m.spurious.filter(mine).map(pick),
      });
    }
  }
  const counters = ca.getCounters();
  const counts: CountCheck[] = [];
  for (const [rule, want] of Object.entries(s.expect ?? {})) {
    const c = counters[rule] as unknown as Record<string, number> | undefined;
    for (const [counter, expected] of Object.entries(want)) if (expected !== undefined) counts.push({ rule, counter, expected, counted: c?.[counter] ?? 0 });
  }
  const empty: EmptyCheck[] = [];
  for (const [rule, windows] of Object.entries(s.empty ?? {})) {
    const times = occupied.get(rule) ?? [];
    for (const w of windows) empty.push({ rule, window: w, occupiedFrames: times.filter((t) => t >= w[0] - 1e-6 && t <= w[1] + 1e-6).length });
  }
  return { name: s.name, frames: s.frames.length, fps: s.frames.length > 1 ? (s.frames.length - 1) / (s.frames.at(-1)!.t - s.frames[0]!.t || 1) : s.sourceFps, mot, lines, counts, empty, counters, ...(gate ? { gate: { detectedFrames, frames: s.frames.length } } : {}) };
}

/** Totals over clips: crossings summed; MOT metrics recomputed from their summed parts (not averaged). */
export interface SuiteTotals {
  truth: number;
  matched: number;
  missed: number;
  spurious: number;
  /** matched / truth. */
  crossingRecall: number;
  /** matched / (matched + spurious). */
  crossingPrecision: number;
  /** Box-level detection figures and tracking quality over every scored frame of every clip. */
  recall: number;
  precision: number;
  mota: number;
  idf1: number;
  idSwitches: number;
  countChecks: number;
  countChecksFailed: number;
  emptyChecks: number;
  emptyChecksFailed: number;
}

export function suiteTotals(clips: readonly ClipScore[]): SuiteTotals {
  let truth = 0, matched = 0, missed = 0, spurious = 0;
  let gt = 0, hyp = 0, tp = 0, fp = 0, fn = 0, idsw = 0, idtp = 0;
  for (const c of clips) {
    for (const l of c.lines) {
      truth += l.truth;
      matched += l.matched;
      missed += l.missed.length;
      spurious += l.spurious.length;
    }
    if (c.mot) {
      gt += c.mot.gtBoxes;
      hyp += c.mot.hypBoxes;
      tp += c.mot.matches;
      fp += c.mot.falsePositives;
      fn += c.mot.misses;
      idsw += c.mot.idSwitches;
      idtp += c.mot.idr * c.mot.gtBoxes;
    }
  }
  const counts = clips.flatMap((c) => c.counts);
  const empty = clips.flatMap((c) => c.empty);
  return {
    truth, matched, missed, spurious,
    crossingRecall: truth ? matched / truth : 1,
    crossingPrecision: matched + spurious ? matched / (matched + spurious) : 1,
    recall: gt ? tp / gt : 0,
    precision: hyp ? tp / hyp : 0,
    mota: gt ? 1 - (fn + fp + idsw) / gt : 0,
    idf1: gt + hyp ? (2 * idtp) / (gt + hyp) : 0,
    idSwitches: idsw,
    countChecks: counts.length,
    countChecksFailed: counts.filter((c) => c.counted !== c.expected).length,
    emptyChecks: empty.length,
    emptyChecksFailed: empty.filter((e) => e.occupiedFrames > 0).length,
  };
}
