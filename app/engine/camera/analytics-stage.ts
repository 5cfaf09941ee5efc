import type { AnalyticsEvent, RuleCounters } from '../../shared/domain/analytics';
import type { FrameHeader } from '../../shared/domain/detection';
import type { Rule } from '../../shared/domain/rules';
import { maskedOut, type PrivacyMask } from '../../shared/domain/privacy-mask';
import { TrackRecorder, type CompactTrack } from '../ledger/track-store';
import { CameraAnalytics } from '../rules/camera-analytics';
import { gateRegions, type GateTrack } from '../motion/detection-gate';
import type { TrackedObject } from '../tracking/byte-tracker';

/** What one analysed frame produced for the engine (ledger, live counters, track store). */
export interface AnalyticsReport {
  /** Wall-clock time of the frame (FrameHeader.capturedAt), epoch ms. */
  frameAt: number;
  modelId?: string;
  events: AnalyticsEvent[];
  counters: RuleCounters;
  /** The frame's JPEG when there are events (for snapshots), else null. */
  jpeg: Uint8Array | null;
}

export interface AnalyticsStageOutput {
  report: AnalyticsReport | null;
  /** Tracks that ended on this frame, compacted for the track store. */
  finishedTracks: CompactTrack[];
}

/** Counters are re-sent at least this often even without events, so live panels stay current. */
const COUNTERS_EVERY_MS = 1_000;

/**
 * Runs in the camera worker, on every frame that has detections: tracker + rules (CameraAnalytics), then
 * writes the confirmed track ids into the frame's detections before the frame leaves the worker, so the
 * overlay, the events and the stored tracks all come from the same frame. Time is the frame's wall clock in
 * seconds: a looping file camera's pts restarts, the wall clock does not.
 */
export class AnalyticsStage {
  private readonly analytics: CameraAnalytics;
  private readonly recorder: TrackRecorder;
  private lastCountersAt = 0;
  /** Active privacy masks that drop the detections inside them before tracking and rules. */
  private masks: readonly PrivacyMask[];
  /** The tracker's tracks after the last analysed frame (the detection gate and the analysis-rate governor read them). */
  private tracks: readonly TrackedObject[] = [];
  private rules: readonly Rule[];

  constructor(cameraId: string, rules: readonly Rule[], masks: readonly PrivacyMask[] = []) {
    this.masks = masks.filter((m) => m.detections === 'ignore');
    this.analytics = new CameraAnalytics(rules);
    this.rules = rules;
    this.recorder = new TrackRecorder(cameraId);
  }

  setRules(rules: readonly Rule[]): void {
    this.analytics.setRules(rules);
    this.rules = rules;
    this.lastCountersAt = 0;
  }

  setMasks(masks: readonly PrivacyMask[]): void {
    this.masks = masks.filter((m) => m.detections === 'ignore');
  }

  /**
   * Mutates `header.detections` (masked ones removed, track ids written); returns what the engine must hear
   * about. `looks` are the detections' appearance descriptors, when the camera had the model-input pixels. Detections whose box centre is inside an `ignore` mask never reach the tracker, the rules or the
   * overlay.
   */
  process(header: FrameHeader, jpeg: Uint8Array, looks?: ReadonlyArray<Float32Array | null>): AnalyticsStageOutput {
    if (!header.detections) return { report: null, finishedTracks: [] };
    if (this.masks.length) {
      const kept = header.detections.map((d) => !maskedOut(d.box, this.masks));
      header.detections = header.detections.filter((_, i) => kept[i]);
      looks = looks?.filter((_, i) => kept[i]);
    }
    this.analytics.setFrameSize(header.width, header.height);
    const r = this.analytics.update(header.detections, header.capturedAt / 1000, header.capturedAt, looks);
    header.detections = r.tracked;
    this.tracks = r.tracks;
    const finishedTracks = this.recorder.observe(r.tracks, header.capturedAt);
    const due = header.capturedAt - this.lastCountersAt >= COUNTERS_EVERY_MS;
    if (!r.events.length && !due) return { report: null, finishedTracks };
    this.lastCountersAt = header.capturedAt;
    return {
      report: {
        frameAt: header.capturedAt,
        ...(header.modelId ? { modelId: header.modelId } : {}),
        events: r.events,
        counters: r.counters,
        jpeg: r.events.length ? jpeg : null,
      },
      finishedTracks,
    };
  }

  /** The live tracks after the last analysed frame, as the detection gate needs them. */
  liveTracks(): readonly GateTrack[] {
    return this.tracks;
  }

  /**
   * What the engine's analysis-rate governor needs of this camera: live tracks of things that moved, and whether
   * one of them is near a rule (inside a rule's region grown by the gate margin).
   */
  status(): { hasRules: boolean; liveTracks: number; tracksNearRules: boolean } {
    const live = this.tracks.filter((t) => !t.stationary);
    const active = this.rules.filter((r) => r.enabled !== false && r.points.length > 0);
    const regions = active.length ? gateRegions(active) : [];
    const near = live.some((t) => regions === null || regions.some((g) => t.box[0] < g[2] && g[0] < t.box[2] && t.box[1] < g[3] && g[1] < t.box[3]));
    return { hasRules: active.length > 0, liveTracks: live.length, tracksNearRules: active.length > 0 && near };
  }

  /** The camera stops: every open track is finished. */
  flush(): CompactTrack[] {
    return this.recorder.flush();
  }
}
