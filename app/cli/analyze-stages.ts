import type { Detection } from '../shared/domain/detection';

/**
 * Per-frame pipeline stages after detection (and, with `--rules`, after tracking + rules, see
 * analyze-pipeline.ts), in order. A stage sees every analysed frame and may return replaced detections for the
 * next stage and for `--out`.
 */
export type FrameStage = (frameIndex: number, t: number, detections: Detection[]) => Detection[] | void;

export function runStages(stages: FrameStage[], frameIndex: number, t: number, detections: Detection[]): Detection[] {
  let d = detections;
  for (const s of stages) d = s(frameIndex, t, d) ?? d;
  return d;
}
