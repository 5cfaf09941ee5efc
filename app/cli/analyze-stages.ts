import type { Detection } from '../shared/domain/detection';

/**
 * Per-frame pipeline stages after detection, in order. Tracking and rules (issue 4/5) plug in here: a stage
 * sees every analysed frame and may return replaced detections (e.g. with `track` ids) for the next stage and
 * for `--out`.
 */
export type FrameStage = (frameIndex: number, t: number, detections: Detection[]) => Detection[] | void;

/** `--rules <rules.json>`: accepted now, evaluated once the rules engine exists (it registers a FrameStage here). */
export function rulesStage(rulesPath: string | undefined, note: (m: string) => void): FrameStage | null {
  if (!rulesPath) return null;
  note(`--rules ${rulesPath}: rules are not evaluated by this build yet (tracking/rules stage not installed); detections only`);
  return null;
}

export function runStages(stages: FrameStage[], frameIndex: number, t: number, detections: Detection[]): Detection[] {
  let d = detections;
  for (const s of stages) d = s(frameIndex, t, d) ?? d;
  return d;
}
