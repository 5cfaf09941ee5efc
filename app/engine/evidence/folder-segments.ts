import fs from 'node:fs';
import path from 'node:path';
import type { RecordedSegment } from '../../shared/domain/recording';
import { probeMedia } from './media-probe';
import { rangesOf, type RecordedSegments } from './recorded-segments';

const FILE_RE = /^(\d{10,16})\.(mp4|ts)$/;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * Recorded segments read from the folder layout the recorder writes,
 * `<dataDir>/recordings/<cameraId>/<YYYY-MM-DD>/<startMs>.<mp4|ts>`: the start from the file name, the end from
 * ffprobe's duration (cached per file size and time). Stands in for the segment index until it is merged; the
 * index indexes such files at start, so nothing else changes when it replaces this class.
 */
export class FolderSegments implements RecordedSegments {
  private readonly cache = new Map<string, { key: string; seg: RecordedSegment | null }>();
  private nextId = 1;

  constructor(readonly root: string) {}

  static inDataDir(dataDir: string): FolderSegments {
    return new FolderSegments(path.join(dataDir, 'recordings'));
  }

  segmentsFor(cameraId: string, fromMs: number, toMs: number): RecordedSegment[] {
    if (!/^[\w.-]+$/.test(cameraId) || cameraId.startsWith('.')) return [];
    const dir = path.join(this.root, cameraId);
    let days: string[];
    try {
      days = fs.readdirSync(dir).filter((d) => DAY_RE.test(d));
    } catch {
      return [];
    }
    const out: RecordedSegment[] = [];
    for (const day of days) {
      const dayMs = Date.parse(`${day}T00:00:00Z`);
      // Folders are named by date; a segment may start late the day before the window (any zone): one day of slack.
      if (!Number.isFinite(dayMs) || dayMs > toMs + DAY_MS || dayMs + 2 * DAY_MS < fromMs) continue;
      let files: string[];
      try {
        files = fs.readdirSync(path.join(dir, day));
      } catch {
        continue;
      }
      for (const f of files) {
        const m = FILE_RE.exec(f);
        if (!m) continue;
        const seg = this.segment(cameraId, path.join(dir, day, f), Number(m[1]));
        if (seg && seg.endMs > fromMs && seg.startMs < toMs) out.push(seg);
      }
    }
    return out.sort((a, b) => a.startMs - b.startMs);
  }

  ranges(cameraId: string, fromMs: number, toMs: number): { startMs: number; endMs: number }[] {
    return rangesOf(this.segmentsFor(cameraId, fromMs, toMs), fromMs, toMs);
  }

  private segment(cameraId: string, file: string, startMs: number): RecordedSegment | null {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return null;
    }
    const key = `${st.size}:${st.mtimeMs}`;
    const hit = this.cache.get(file);
    if (hit && hit.key === key) return hit.seg;
    const facts = probeMedia(file);
    const seg: RecordedSegment | null = facts ? { id: hit?.seg?.id ?? this.nextId++, cameraId, startMs, endMs: startMs + facts.durationMs, bytes: st.size, path: file, codec: facts.codec, status: 'ok' } : null;
    this.cache.set(file, { key, seg });
    return seg;
  }
}
