import type { AnalyticsEvent, RuleCounters } from '../../shared/domain/analytics';
import type { Detection } from '../../shared/domain/detection';
import type { Rule } from '../../shared/domain/rules';
import { ByteTracker, type TrackedObject } from '../tracking/byte-tracker';
import type { TrackerConfig } from '../tracking/tracker-config';
import type { RulesEngineConfig } from './rule-input';
import { RulesEngine } from './rules-engine';

export interface CameraAnalyticsOptions {
  tracker?: Partial<TrackerConfig>;
  engine?: Partial<RulesEngineConfig>;
  /** The source frame's width over its height, when known (see setFrameSize). */
  frameAspect?: number;
}

export interface CameraAnalyticsResult {
  /** This frame's detections; those matched to a confirmed track carry its id in `track`. */
  tracked: Detection[];
  /** Every live track (tentative, confirmed, predicted), for overlays and storage. */
  tracks: TrackedObject[];
  events: AnalyticsEvent[];
  counters: RuleCounters;
}

/**
 * Tracker + rules for one camera. Only confirmed tracks measured in the frame feed the rules; predicted
 * (coasting) and tentative tracks never count.
 */
export class CameraAnalytics {
  private readonly tracker: ByteTracker;
  private readonly engine: RulesEngine;

  constructor(rules: readonly Rule[] = [], options: CameraAnalyticsOptions = {}) {
    this.tracker = new ByteTracker(options.tracker);
    this.engine = new RulesEngine(rules, options.engine);
    if (options.frameAspect !== undefined) this.setFrameAspect(options.frameAspect);
  }

  /** The source frame's size in pixels: the tracker measures distances between boxes in true proportions. */
  setFrameSize(width: number, height: number): void {
    if (width > 0 && height > 0) this.setFrameAspect(width / height);
  }

  private setFrameAspect(aspect: number): void {
    this.tracker.setFrameAspect(aspect);
    this.engine.setFrameAspect(aspect);
  }

  /** Replaces the rules without losing tracks. */
  setRules(rules: readonly Rule[]): void {
    this.engine.setRules(rules);
  }

  getCounters(): RuleCounters {
    return this.engine.getCounters();
  }

  /**
   * One analysed frame at stream time t (seconds); wallMs (epoch ms) drives intrusion schedules; appearances
   * (one per detection, see tracking/appearance.ts) help the tracker keep identities when given.
   */
  update(detections: readonly Detection[], t: number, wallMs: number = Date.now(), appearances?: ReadonlyArray<Float32Array | null>): CameraAnalyticsResult {
    const tracks = this.tracker.update(detections, t, appearances);
    const tracked = detections.map((d) => {
      const { track: _drop, setAside: _aside, ...rest } = d;
      return { ...rest } as Detection;
    });
    const inputs = [];
    for (const tr of tracks) {
      if (tr.detection !== null && tr.stationary && tracked[tr.detection]) tracked[tr.detection]!.setAside = true;
      if (!tr.confirmed || tr.predicted || tr.detection === null) continue;
      const det = tracked[tr.detection];
      if (det) det.track = tr.id;
      inputs.push({ id: tr.id, cls: tr.cls, score: tr.score, box: tr.box, stationary: tr.stationary, moved: tr.moved, velocity: tr.velocity, first: { t: tr.born, box: tr.firstBox } });
    }
    const { events, counters } = this.engine.update(inputs, t, wallMs);
    return { tracked, tracks, events, counters };
  }
}
