import path from 'node:path';
import type { RecordedRange, RecordedSegment, SegmentStatus } from '../../shared/domain/recording';
import type { Db } from '../storage/database';

/**
 * The recording index (`recording_segments`, migration 14): one row per segment file, paths relative to the
 * recordings root. Readers (playback, export, the timeline) ask for segments and recorded ranges of a camera over
 * a time range; the RecordingService writes rows as ffmpeg opens and completes segments.
 */

/** No segment spans longer than this (segments are seconds long): bounds the index scans of a time range. */
export const MAX_SEGMENT_SPAN_MS = 15 * 60_000;
/** Segments closer than this count as one recorded range (the gap between two segments of one recorder run). */
export const RANGE_JOIN_MS = 1500;

/** Where a complete segment lives, relative to the recordings root: `<cameraId>/<YYYY-MM-DD>/<startMs>.mp4` (UTC date). */
export function segmentRelPath(cameraId: string, startMs: number): string {
  const day = new Date(startMs).toISOString().slice(0, 10);
  return path.join(cameraId, day, `${Math.round(startMs)}.mp4`);
}

interface SegmentRow {
  id: number;
  camera_id: string;
  start_ms: number;
  end_ms: number;
  bytes: number;
  path: string;
  codec: string | null;
  status: SegmentStatus;
  event: number;
}

/** A row as stored (path relative to the recordings root), for the service's housekeeping. */
export interface StoredSegment extends RecordedSegment {
  /** Path relative to the recordings root. */
  relPath: string;
  /** Overlaps an event's pre-roll..post-roll window. */
  event: boolean;
}

export class SegmentIndex {
  constructor(
    private readonly db: Db,
    /** `<dataDir>/recordings`. */
    readonly root: string,
  ) {}

  /** Segments of a camera overlapping [fromMs, toMs), every status, ordered by start. */
  segmentsFor(cameraId: string, fromMs: number, toMs: number): RecordedSegment[] {
    return this.rowsFor(cameraId, fromMs, toMs).map((r) => this.toSegment(r));
  }

  /**
   * Contiguous recorded stretches of a camera inside [fromMs, toMs) (clipped to it), ordered; the gaps lie between
   * them. Segments whose file is missing are not recorded time.
   */
  ranges(cameraId: string, fromMs: number, toMs: number): RecordedRange[] {
    const out: RecordedRange[] = [];
    for (const r of this.rowsFor(cameraId, fromMs, toMs)) {
      if (r.status === 'missing') continue;
      const start = Math.max(fromMs, r.start_ms);
      const end = Math.min(toMs, r.end_ms);
      if (end <= start) continue;
      const last = out[out.length - 1];
      if (last && start - last.endMs <= RANGE_JOIN_MS) last.endMs = Math.max(last.endMs, end);
      else out.push({ startMs: start, endMs: end });
    }
    return out;
  }

  /** One segment by id (absolute path), or undefined. */
  get(id: number): StoredSegment | undefined {
    const r = this.db.prepare('SELECT * FROM recording_segments WHERE id = ?').get(id) as SegmentRow | undefined;
    return r && this.toStored(r);
  }

  /** A row for a segment ffmpeg has just opened (status 'recording'). Returns its id. */
  open(cameraId: string, startMs: number, relPath: string, codec: string | null): number {
    const r = this.db
      .prepare("INSERT INTO recording_segments (camera_id, start_ms, end_ms, bytes, path, codec, status) VALUES (?, ?, ?, 0, ?, ?, 'recording')")
      .run(cameraId, Math.round(startMs), Math.round(startMs), relPath, codec);
    return Number(r.lastInsertRowid);
  }

  /** A complete (or recovered) segment: its final path, end, size, codec; status 'ok'. */
  complete(id: number, s: { relPath: string; endMs: number; bytes: number; codec?: string | null; startMs?: number }): void {
    this.db
      .prepare("UPDATE recording_segments SET path = ?, end_ms = MAX(start_ms, ?), bytes = ?, codec = COALESCE(?, codec), start_ms = COALESCE(?, start_ms), status = 'ok' WHERE id = ?")
      .run(s.relPath, Math.round(s.endMs), s.bytes, s.codec ?? null, s.startMs === undefined ? null : Math.round(s.startMs), id);
  }

  /** A file found on disk without a row (crash between its creation and its row): indexed as complete. */
  insertComplete(cameraId: string, s: { relPath: string; startMs: number; endMs: number; bytes: number; codec: string | null }): number {
    const r = this.db
      .prepare("INSERT INTO recording_segments (camera_id, start_ms, end_ms, bytes, path, codec, status) VALUES (?, ?, ?, ?, ?, ?, 'ok')")
      .run(cameraId, Math.round(s.startMs), Math.round(Math.max(s.startMs, s.endMs)), s.bytes, s.relPath, s.codec);
    return Number(r.lastInsertRowid);
  }

  /** Segments overlapping [fromMs, toMs] count as event footage (kept in events mode, kept longer where configured). */
  markEvent(cameraId: string, fromMs: number, toMs: number): number {
    return this.db
      .prepare('UPDATE recording_segments SET event = 1 WHERE camera_id = ? AND start_ms >= ? AND start_ms <= ? AND end_ms >= ? AND event = 0')
      .run(cameraId, fromMs - MAX_SEGMENT_SPAN_MS, toMs, fromMs).changes;
  }

  setStatus(id: number, status: SegmentStatus): void {
    this.db.prepare('UPDATE recording_segments SET status = ? WHERE id = ?').run(status, id);
  }

  remove(id: number): void {
    this.db.prepare('DELETE FROM recording_segments WHERE id = ?').run(id);
  }

  /** Rows with this status, by id, `limit` at a time after `afterId` (housekeeping at start pages through them). */
  withStatus(status: SegmentStatus, afterId = 0, limit = 1000): StoredSegment[] {
    return (this.db.prepare('SELECT * FROM recording_segments WHERE status = ? AND id > ? ORDER BY id LIMIT ?').all(status, afterId, limit) as SegmentRow[]).map((r) => this.toStored(r));
  }

  /** Is a relative path indexed? */
  hasPath(relPath: string): boolean {
    return this.db.prepare('SELECT 1 FROM recording_segments WHERE path = ?').get(relPath) !== undefined;
  }

  /** Indexed relative paths inside one folder (relative to the root): the start-up scan compares them with its files, one folder at a time. */
  pathsIn(relDir: string): Set<string> {
    const prefix = `${relDir}${path.sep}`;
    // A range on the UNIQUE index of path: every path starting with the prefix (the character after the separator's code ends it).
    const end = `${relDir}${String.fromCharCode(path.sep.charCodeAt(0) + 1)}`;
    return new Set(this.db.prepare('SELECT path FROM recording_segments WHERE path >= ? AND path < ?').pluck().all(prefix, end) as string[]);
  }

  /** Complete segments (not being written) in the order they go under quota pressure: ordinary ones oldest first, then event footage oldest first. */
  oldestRemovable(limit: number): StoredSegment[] {
    return (
      this.db.prepare("SELECT * FROM recording_segments WHERE status <> 'recording' ORDER BY event, start_ms LIMIT ?").all(limit) as SegmentRow[]
    ).map((r) => this.toStored(r));
  }

  /** Complete segments of a camera that ended before `beforeMs` (`event`: only event footage, only ordinary footage, or both when undefined). */
  endedBefore(cameraId: string, beforeMs: number, event?: boolean, limit = 500): StoredSegment[] {
    const ev = event === undefined ? '' : ` AND event = ${event ? 1 : 0}`;
    return (
      this.db
        .prepare(`SELECT * FROM recording_segments WHERE camera_id = ? AND status <> 'recording' AND end_ms < ?${ev} ORDER BY start_ms LIMIT ?`)
        .all(cameraId, beforeMs, limit) as SegmentRow[]
    ).map((r) => this.toStored(r));
  }

  /** Cameras with rows (any status). */
  cameraIds(): string[] {
    return this.db.prepare('SELECT DISTINCT camera_id FROM recording_segments').pluck().all() as string[];
  }

  /** Bytes and rows in the index, per camera and in all. */
  usage(): { bytes: number; segments: number; oldestMs: number | null; perCamera: Map<string, number> } {
    const rows = this.db.prepare('SELECT camera_id, SUM(bytes) AS bytes, COUNT(*) AS n, MIN(start_ms) AS oldest FROM recording_segments GROUP BY camera_id').all() as {
      camera_id: string;
      bytes: number;
      n: number;
      oldest: number;
    }[];
    const perCamera = new Map(rows.map((r) => [r.camera_id, r.bytes]));
    const oldest = rows.length ? Math.min(...rows.map((r) => r.oldest)) : null;
    return { bytes: rows.reduce((a, r) => a + r.bytes, 0), segments: rows.reduce((a, r) => a + r.n, 0), oldestMs: oldest, perCamera };
  }

  /** Absolute path of a relative one. */
  absolute(relPath: string): string {
    return path.join(this.root, relPath);
  }

  private rowsFor(cameraId: string, fromMs: number, toMs: number): SegmentRow[] {
    return this.db
      .prepare('SELECT * FROM recording_segments WHERE camera_id = ? AND start_ms >= ? AND start_ms < ? AND end_ms > ? ORDER BY start_ms, id')
      .all(cameraId, fromMs - MAX_SEGMENT_SPAN_MS, toMs, fromMs) as SegmentRow[];
  }

  private toSegment(r: SegmentRow): RecordedSegment {
    return { id: r.id, cameraId: r.camera_id, startMs: r.start_ms, endMs: r.end_ms, bytes: r.bytes, path: this.absolute(r.path), codec: r.codec, status: r.status };
  }

  private toStored(r: SegmentRow): StoredSegment {
    return { ...this.toSegment(r), relPath: r.path, event: r.event === 1 };
  }
}
