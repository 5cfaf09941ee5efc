import fs from 'node:fs';
import type { RecordedSegment } from '../../shared/domain/recording';

/** Segments further apart than this are a gap (a new run); closer ones play as one. */
export const GAP_TOLERANCE_MS = 1000;

/** Usable segments: not marked missing, and still on disk. */
export function presentSegments(segments: readonly RecordedSegment[]): RecordedSegment[] {
  return segments.filter((s) => s.status !== 'missing' && fs.existsSync(s.path));
}

/**
 * The run of back-to-back segments (no gap) that holds `atMs`, or the first run starting after it. ffmpeg's
 * concat demuxer lays files end to end, so only a run without gaps keeps the clip's time equal to wall time.
 */
export function runAround(segments: readonly RecordedSegment[], atMs: number): RecordedSegment[] {
  const runs: RecordedSegment[][] = [];
  for (const s of segments) {
    const last = runs[runs.length - 1];
    const prev = last?.[last.length - 1];
    if (last && prev && s.startMs - prev.endMs <= GAP_TOLERANCE_MS) last.push(s);
    else runs.push([s]);
  }
  return runs.find((r) => r[r.length - 1]!.endMs > atMs) ?? [];
}

/** An ffconcat list of the segments (absolute paths, quoted for the concat demuxer). */
export function concatList(segments: readonly RecordedSegment[]): string {
  const quote = (p: string) => `'${p.replace(/'/g, "'\\''")}'`;
  return `ffconcat version 1.0\n${segments.map((s) => `file ${quote(s.path)}\n`).join('')}`;
}
