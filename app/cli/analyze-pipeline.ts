import { MotionDetector, type FrameMotion } from '../engine/motion/motion-detector';
import type { MotionSensitivity } from '../shared/domain/motion-gating';
import type { AnalyticsEvent } from '../shared/domain/analytics';
import type { Detection } from '../shared/domain/detection';
import type { DetectionTiling } from '../shared/domain/detection-tiling';
import type { Rule } from '../shared/domain/rules';
import { Detector } from '../engine/inference/detector';
import { frameAppearances } from '../engine/tracking/appearance';
import { modelInputSpec } from '../engine/inference/model-input-filter';
import { parseExecutionProviders } from '../engine/inference/ort-session';
import type { PostprocessOptions } from '../engine/inference/postprocess';
import { probeSource, type SourceProbe } from '../engine/ffmpeg/source-probe';
import { ModelInputStream } from '../engine/inference/model-input-stream';
import { resolveModel } from '../engine/models/model-resolve';
import type { TrackedObject } from '../engine/tracking/byte-tracker';
import type { RuleCounters } from '../shared/domain/analytics';
import { SourceAnalytics, trackingThresholds } from './source-analytics';
import { runStages, type FrameStage } from './analyze-stages';
import { registryFrom } from './cli-common';

/** Options of the one detection (+ tracking + rules) path shared by `analyze` and `eval`. */
export interface PipelineOptions {
  source: string;
  /** --model: ONNX file, manifest or installed id (undefined: best installed). */
  model?: string;
  decoder?: 'yolox' | 'ultralytics';
  /** Registry flags (--models-dir / --data-dir). */
  dirs: { 'models-dir'?: string; 'data-dir'?: string };
  /** Frames per second to analyse; undefined: every decoded frame (the source rate). */
  fps?: number;
  maxFrames?: number;
  /** Reported classes and thresholds. */
  postprocess: PostprocessOptions;
  /** --ep value. */
  ep?: string;
  threads: number;
  /** Rules: when set (even empty), the tracker runs on low-threshold detections and rules are evaluated. */
  rules: readonly Rule[] | null;
  /** Epoch ms of stream time 0 (intrusion schedules); default: now. */
  startMs?: number;
  /** Extra stages after tracking. */
  stages?: FrameStage[];
  /** --tiles: tiled detection, as a camera with that setting runs it (null/absent: off). */
  tiling?: DetectionTiling | null;
  /** Sensitivity of the motion check reported with every frame (motion-gated detection; default medium). */
  motionSensitivity?: MotionSensitivity;
}

/** One analysed frame. */
export interface PipelineFrame {
  index: number;
  t: number;
  /** Reported detections (normal thresholds), with `track` when rules are on. */
  detections: Detection[];
  /** The detector's own output (with rules on: down to the tracker's low score), before tracking. */
  detectorDetections: readonly Detection[];
  /** Appearance descriptor of each detector detection (null: too small), for the tracker. */
  appearances: ReadonlyArray<Float32Array | null>;
  /** What moved in this frame, from the same model-input pixels (what a camera's detection gate judges). */
  motion: FrameMotion;
  /** Rule events this frame ([] without rules). */
  events: AnalyticsEvent[];
  /** Live tracks (empty without rules). */
  tracks: TrackedObject[];
  /** Rule counters after this frame (null without rules). */
  counters: RuleCounters | null;
  inferenceMs: number;
  runMs: number;
  /** ms waited for the decoder. */
  waitMs: number;
}

/** An opened pipeline; `frames()` may be iterated once and always disposes the decoder and the detector. */
export interface Pipeline {
  probe: SourceProbe;
  modelId: string;
  provider: string;
  frames(): AsyncGenerator<PipelineFrame>;
  /** Rule counters so far (null without rules). */
  counters(): RuleCounters | null;
}

export async function openPipeline(o: PipelineOptions): Promise<Pipeline> {
  const model = await resolveModel(o.model, registryFrom(o.dirs), o.decoder);
  const thresholds = o.rules ? trackingThresholds(model.manifest, o.postprocess) : null;
  const probe = probeSource(o.source);
  const detector = await Detector.create({
    manifest: model.manifest,
    model: model.file,
    executionProviders: parseExecutionProviders(o.ep),
    intraOpNumThreads: o.threads,
    postprocess: thresholds ? thresholds.detector : o.postprocess,
  });
  const analytics = o.rules && thresholds ? new SourceAnalytics(o.rules, thresholds.reported, o.startMs ?? Date.now(), probe) : null;
  const stages = o.stages ?? [];
  async function* frames(): AsyncGenerator<PipelineFrame> {
    const spec = modelInputSpec(model.manifest);
    const reader = new ModelInputStream({ source: o.source, spec, probe, fps: probe.isImage ? undefined : o.fps, maxFrames: o.maxFrames, tiling: o.tiling ?? null });
    const tiles = reader.filter.tiles;
    const motionDetector = new MotionDetector(o.motionSensitivity);
    try {
      let tWait = performance.now();
      for await (const f of reader.frames()) {
        const waitMs = performance.now() - tWait;
        const r = await detector.detect({ data: f.data, srcWidth: probe.width, srcHeight: probe.height, ...(tiles ? { tiles } : {}) });
        const appearances = frameAppearances(r.detections, f.data, spec, probe.width, probe.height, tiles);
        const motion = motionDetector.update(f.data, spec, probe.width, probe.height, tiles);
        const a = analytics?.frame(f.t, r.detections, appearances);
        const dets = runStages(stages, f.index, f.t, a ? a.detections : r.detections);
        yield { index: f.index, t: f.t, detections: dets, detectorDetections: r.detections, appearances, motion, events: a?.events ?? [], tracks: a?.tracks ?? [], counters: a?.counters ?? null, inferenceMs: r.inferenceMs, runMs: r.timings.runMs, waitMs };
        tWait = performance.now();
      }
    } finally {
      await reader.stop();
      await detector.dispose();
    }
  }
  return { probe, modelId: model.manifest.id, provider: detector.provider, frames, counters: () => analytics?.counters() ?? null };
}
