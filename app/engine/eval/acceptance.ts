import type { LineCrossEvent, ZoneCounter } from '../../shared/domain/analytics';
import type { Detection } from '../../shared/domain/detection';
import type { Rule } from '../../shared/domain/rules';
import { CameraAnalytics, type CameraAnalyticsOptions } from '../rules/camera-analytics';
import { groundTruthCrossings, matchCrossings, type CrossingMatch } from './crossing-eval';
import type { MotFrames } from './mot-gt';
import { computeMotMetrics, type MotMetrics } from './mot-metrics';

/** Per-frame detections of a clip, decoded frame i at time i / fps. */
export interface ClipDetections {
  frames: readonly (readonly Detection[])[];
  fps: number;
}

export interface ClipRun {
  /** Confirmed, measured track boxes per frame (the tracker's hypotheses for MOT metrics). */
  hypotheses: MotFrames;
  crossings: LineCrossEvent[];
  /** Occupancy per zone rule id, one value per frame. */
  occupancy: Record<string, number[]>;
  counters: ReturnType<CameraAnalytics['getCounters']>;
}

/** Runs tracker + rules over a clip's detections, exactly as a camera would. */
export function runClip(rules: readonly Rule[], clip: ClipDetections, options: CameraAnalyticsOptions = {}): ClipRun {
  const ca = new CameraAnalytics(rules, options);
  const hypotheses: MotFrames = new Map();
  const crossings: LineCrossEvent[] = [];
  const occupancy: Record<string, number[]> = {};
  clip.frames.forEach((dets, f) => {
    const r = ca.update([...dets], f / clip.fps, 0);
    hypotheses.set(f, r.tracks.filter((t) => t.confirmed && !t.predicted).map((t) => ({ id: t.id, box: t.box })));
    for (const e of r.events) if (e.type === 'line.cross') crossings.push(e);
    for (const [id, c] of Object.entries(r.counters)) if (c.kind === 'zone') (occupancy[id] ??= []).push((c as ZoneCounter).occupancy);
  });
  return { hypotheses, crossings, occupancy, counters: ca.getCounters() };
}

export interface GroundTruthEvaluation {
  mot: MotMetrics;
  truth: LineCrossEvent[];
  crossings: CrossingMatch;
  run: ClipRun;
}

/**
 * Full evaluation against MOT ground truth: MOT metrics of the tracker, and counted crossings matched one-to-one
 * (same rule and direction, within ±toleranceSeconds) to the crossings the same rules find on the ground truth.
 */
export function evaluateAgainstGroundTruth(rules: readonly Rule[], clip: ClipDetections, gt: MotFrames, toleranceSeconds = 1, options: CameraAnalyticsOptions = {}): GroundTruthEvaluation {
  const run = runClip(rules, clip, options);
  const truth = groundTruthCrossings(rules, gt, clip.fps);
  return { mot: computeMotMetrics(gt, run.hypotheses), truth, crossings: matchCrossings(run.crossings, truth, toleranceSeconds), run };
}
