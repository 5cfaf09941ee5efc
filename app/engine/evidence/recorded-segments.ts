import type { RecordedSegment } from '../../shared/domain/recording';

/**
 * What playback and evidence export need from the recording index: the segments of a camera that overlap a
 * window (ordered by start) and the recorded ranges there (gaps between them). The recording index
 * (`SegmentIndex`, app/engine/recording/segment-index.ts, table `recording_segments`) implements it; the engine and
 * the evidence CLI both read it.
 */
export interface RecordedSegments {
  segmentsFor(cameraId: string, fromMs: number, toMs: number): RecordedSegment[];
  ranges(cameraId: string, fromMs: number, toMs: number): { startMs: number; endMs: number }[];
}

/** Joins touching segments (a gap under `toleranceMs` is not a gap) into recorded ranges, clipped to the window. */
export function rangesOf(segments: readonly Pick<RecordedSegment, 'startMs' | 'endMs' | 'status'>[], fromMs: number, toMs: number, toleranceMs = 1000): { startMs: number; endMs: number }[] {
  const out: { startMs: number; endMs: number }[] = [];
  for (const s of segments) {
    if (s.status === 'missing' || s.endMs <= fromMs || s.startMs >= toMs) continue;
    const startMs = Math.max(fromMs, s.startMs);
    const endMs = Math.min(toMs, s.endMs);
    const last = out[out.length - 1];
    if (last && startMs - last.endMs <= toleranceMs) last.endMs = Math.max(last.endMs, endMs);
    else out.push({ startMs, endMs });
  }
  return out;
}
