import fs from 'node:fs';
import type { AnalyticsEvent, RuleCounters } from '../shared/domain/analytics';
import type { Detection } from '../shared/domain/detection';
import type { ModelManifest } from '../shared/domain/model';
import { parseRulesFile, type Rule } from '../shared/domain/rules';
import type { TrackedObject } from '../engine/tracking/byte-tracker';
import { DEFAULT_TRACKER_CONFIG } from '../engine/tracking/tracker-config';
import { CameraAnalytics } from '../engine/rules/camera-analytics';
import type { PostprocessOptions } from '../engine/inference/postprocess';

/** A rules file that cannot be used: the CLIs print `message` and exit 2 before analysing anything. */
export class RulesInputError extends Error {}

/** Reads and validates a rules file (JSON, see app/engine/rules/README.md). Throws RulesInputError. */
export function loadRulesFile(rulesPath: string): Rule[] {
  let text: string;
  try {
    text = fs.readFileSync(rulesPath, 'utf8');
  } catch (e) {
    throw new RulesInputError(`cannot read rules file ${rulesPath}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RulesInputError(`rules file ${rulesPath} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return parseRulesFile(json).rules;
  } catch (e) {
    throw new RulesInputError(`rules file ${rulesPath}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Score thresholds with tracking on. ByteTrack's second stage needs low-score detections, so the detector runs
 * at `min(threshold, tracker lowScore)` for every class, while what is REPORTED (JSON `detections`, summary
 * counts) keeps the normal thresholds: `reported(d)` says whether a detection passes them. Low-score
 * detections therefore only ever extend live tracks; they never show up as detections of their own.
 */
export interface TrackingThresholds {
  /** Postprocess options for the detector (lowered thresholds). */
  detector: PostprocessOptions;
  /** True when `d` passes the normal (reported) threshold of its class. */
  reported: (d: Detection) => boolean;
}

export function trackingThresholds(manifest: ModelManifest, post: PostprocessOptions, lowScore = DEFAULT_TRACKER_CONFIG.lowScore): TrackingThresholds {
  const base = post.score ?? manifest.thresholds.score;
  const perClass: Record<string, number> = { ...manifest.thresholds.perClass, ...post.perClass };
  const lowered: Record<string, number> = {};
  for (const [cls, v] of Object.entries(perClass)) lowered[cls] = Math.min(v, lowScore);
  return {
    detector: { ...post, score: Math.min(base, lowScore), perClass: lowered },
    reported: (d) => d.score >= (perClass[d.cls] ?? base),
  };
}

/** What the analytics stage adds to one analysed frame. */
export interface AnalyticsFrame {
  /** Reported detections (normal thresholds), with `track` on those matched to a confirmed track. */
  detections: Detection[];
  events: AnalyticsEvent[];
  /** Every live track this frame (for MOT hypotheses: confirmed && !predicted). */
  tracks: TrackedObject[];
  counters: RuleCounters;
}

/** Tracker + rules over the detector's (low-threshold) output, one instance per analysed source. */
export class SourceAnalytics {
  private readonly analytics: CameraAnalytics;

  constructor(
    rules: readonly Rule[],
    private readonly reported: (d: Detection) => boolean,
    /** Epoch ms of stream time 0 (drives intrusion schedules). */
    private readonly startMs: number,
    /** The source frame size in pixels, when known (the tracker measures distances in true proportions). */
    frameSize?: { width: number; height: number },
  ) {
    this.analytics = new CameraAnalytics(rules);
    if (frameSize) this.analytics.setFrameSize(frameSize.width, frameSize.height);
  }

  frame(t: number, detections: readonly Detection[], appearances?: ReadonlyArray<Float32Array | null>): AnalyticsFrame {
    const r = this.analytics.update(detections, t, this.startMs + t * 1000, appearances);
    return { detections: r.tracked.filter(this.reported), events: r.events, tracks: r.tracks, counters: r.counters };
  }

  counters(): RuleCounters {
    return this.analytics.getCounters();
  }
}

/** The public JSON shape of one event in `--out` lines (stable field names: add, don't rename). */
export function eventJson(e: AnalyticsEvent, round: (v: number, d?: number) => number): Record<string, unknown> {
  const base: Record<string, unknown> = { type: e.type, rule: e.rule };
  if (e.type === 'line.cross') base.dir = e.dir;
  base.track = e.track;
  base.t = round(e.t, 3);
  if ('dwell' in e && e.dwell !== undefined) base.dwell = round(e.dwell, 2);
  if (e.type === 'zone.overcrowd') base.occupancy = e.occupancy;
  return base;
}

/** Summary `rules` object: lines {in, out}, zones {enter, exit, maxOccupancy}. */
export function countersJson(c: RuleCounters): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [id, v] of Object.entries(c)) out[id] = v.kind === 'line' ? { in: v.in, out: v.out } : { enter: v.enter, exit: v.exit, maxOccupancy: v.maxOccupancy };
  return out;
}

/** Per-frame `occupancy` object of `--out` lines: zone rule id -> objects inside now (null without zones). */
export function occupancyJson(c: RuleCounters | null): Record<string, number> | null {
  if (!c) return null;
  const out: Record<string, number> = {};
  for (const [id, v] of Object.entries(c)) if (v.kind === 'zone') out[id] = v.occupancy;
  return Object.keys(out).length ? out : null;
}
