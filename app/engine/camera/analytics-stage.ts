import type { AnalyticsEvent, RuleCounters } from '../../shared/domain/analytics';
import type { FrameHeader } from '../../shared/domain/detection';
import type { Rule } from '../../shared/domain/rules';
import { maskedOut, type PrivacyMask } from '../../shared/domain/privacy-mask';
import { TrackRecorder, type CompactTrack } from '../ledger/track-store';
import { CameraAnalytics } from '../rules/camera-analytics';

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

  constructor(cameraId: string, rules: readonly Rule[], masks: readonly PrivacyMask[] = []) {
    this.masks = masks.filter((m) => m.detections === 'ignore');
    this.analytics = new CameraAnalytics(rules);
    this.recorder = new TrackRecorder(cameraId);
  }

  setRules(rules: readonly Rule[]): void {
    this.analytics.setRules(rules);
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
    const r = this.analytics.update(header.detections, header.capturedAt / 1000, header.capturedAt, looks);
    header.detections = r.tracked;
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

  /** The camera stops: every open track is finished. */
  flush(): CompactTrack[] {
    return this.recorder.flush();
  }
}
