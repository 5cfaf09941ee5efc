import type { Box, Detection } from '../../shared/domain/detection';
import type { ModelManifest } from '../../shared/domain/model';
import type { Candidate } from './inference-api';

/** The classes kept by default: people and vehicles. */
export const DEFAULT_CLASSES: readonly string[] = ['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck'];

export interface PostprocessOptions {
  /** Class names to keep; null keeps every class. Default: DEFAULT_CLASSES. */
  classes?: readonly string[] | null;
  /** Score threshold for classes without a per-class value (default: manifest thresholds.score). */
  score?: number;
  /** Per-class thresholds, overriding the manifest's. */
  perClass?: Record<string, number>;
  /** NMS IoU (default: manifest thresholds.nmsIou). */
  nmsIou?: number;
  /** Minimum box area as a fraction of the frame (default 0.0002, about 4x4 px at 416). */
  minBoxArea?: number;
}

export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  if (inter <= 0) return 0;
  const ua = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return ua > 0 ? inter / ua : 0;
}

/** Greedy class-aware NMS: a box suppresses lower-scored boxes of the same class overlapping it by more than `iouThreshold`. */
export function nms<T extends { classId: number; score: number; box: Box }>(items: T[], iouThreshold: number): T[] {
  const sorted = [...items].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const c of sorted) {
    if (kept.some((k) => k.classId === c.classId && iou(k.box, c.box) > iouThreshold)) continue;
    kept.push(c);
  }
  return kept;
}

/** The lowest score any class can pass, so decoders can skip early. */
export function minCandidateScore(manifest: ModelManifest, opts: PostprocessOptions = {}): number {
  const base = opts.score ?? manifest.thresholds.score;
  const per = Object.values({ ...manifest.thresholds.perClass, ...opts.perClass });
  return Math.min(base, ...per);
}

/** Per-class thresholds, class filter, minimum area (in the coordinates of `candidates`): the candidates kept, as Detections. */
export function filterCandidates(candidates: Candidate[], manifest: ModelManifest, opts: PostprocessOptions = {}): Detection[] {
  const keep = opts.classes === null ? null : new Set(opts.classes ?? DEFAULT_CLASSES);
  const base = opts.score ?? manifest.thresholds.score;
  const perClass = { ...manifest.thresholds.perClass, ...opts.perClass };
  const minArea = opts.minBoxArea ?? 0.0002;
  const passed: Detection[] = [];
  for (const c of candidates) {
    const cls = manifest.classes[c.classId] ?? `class${c.classId}`;
    if (keep && !keep.has(cls)) continue;
    if (c.score < (perClass[cls] ?? base)) continue;
    const area = (c.box[2] - c.box[0]) * (c.box[3] - c.box[1]);
    if (!(area >= minArea)) continue;
    passed.push({ cls, classId: c.classId, score: c.score, box: c.box });
  }
  return passed;
}

/** The NMS IoU in force. */
export const nmsIouOf = (manifest: ModelManifest, opts: PostprocessOptions = {}): number => opts.nmsIou ?? manifest.thresholds.nmsIou;

/** Per-class thresholds, class filter, minimum area, class-aware NMS; returns Detections sorted by score. */
export function postprocess(candidates: Candidate[], manifest: ModelManifest, opts: PostprocessOptions = {}): Detection[] {
  return nms(filterCandidates(candidates, manifest, opts), nmsIouOf(manifest, opts));
}
