import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logging/logger';
import { tightenPrivateFile } from '../storage/private-files';
import { segmentRelPath, type SegmentIndex } from './segment-index';
import { probeSegment } from './segment-probe';

export interface RecoveryReport {
  /** Files found without a row, probed and indexed. */
  indexed: number;
  /** Segments left 'recording' by a crash, probed and completed. */
  finished: number;
  /** Files with nothing playable, removed (with their rows). */
  removed: number;
  /** Rows whose file is gone, marked missing. */
  missing: number;
}

const DATED = /^\d{4}-\d{2}-\d{2}$/;
const SEGMENT = /^(\d+)\.mp4$/;

/**
 * At start, before any recorder runs: the index and the files agree again after a crash.
 *  - a row left 'recording' (killed mid-segment): its file is probed; what plays is moved into place and the row
 *    completed, a file with nothing playable is removed with its row; a row whose file is gone is marked missing;
 *  - a row whose file is gone is marked missing;
 *  - a segment file without a row (in a dated folder, or left in `.incoming`) is probed and indexed, or removed.
 */
export async function recoverRecordings(o: { index: SegmentIndex; ffmpegPath: string; log: Logger }): Promise<RecoveryReport> {
  const r: RecoveryReport = { indexed: 0, finished: 0, removed: 0, missing: 0 };
  const { index } = o;
  // Rows left 'recording' are few (one per camera per crash): completed or removed, so each page starts again at 0.
  for (const seg of index.withStatus('recording', 0, 100_000)) {
    if (!fs.existsSync(seg.path)) {
      index.setStatus(seg.id, 'missing');
      r.missing++;
      continue;
    }
    const probe = await probeSegment(o.ffmpegPath, seg.path);
    if (!probe || probe.durationS <= 0) {
      fs.rmSync(seg.path, { force: true });
      index.remove(seg.id);
      r.removed++;
      continue;
    }
    const { rel, startMs } = freeRelPath(index, seg.cameraId, seg.startMs);
    const dest = index.absolute(rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
    fs.renameSync(seg.path, dest);
    tightenPrivateFile(dest);
    index.complete(seg.id, { relPath: rel, startMs, endMs: startMs + probe.durationS * 1000, bytes: fs.statSync(dest).size, codec: seg.codec ?? probe.codec });
    r.finished++;
  }
  for (let page = index.withStatus('ok'); page.length; page = index.withStatus('ok', page[page.length - 1]!.id)) {
    for (const seg of page) {
      if (!fs.existsSync(seg.path)) {
        index.setStatus(seg.id, 'missing');
        r.missing++;
      }
    }
  }
  const cameraDirs = fs.existsSync(index.root) ? fs.readdirSync(index.root, { withFileTypes: true }).filter((d) => d.isDirectory()) : [];
  for (const cam of cameraDirs) {
    const camDir = path.join(index.root, cam.name);
    for (const sub of fs.readdirSync(camDir, { withFileTypes: true })) {
      if (!sub.isDirectory()) continue;
      const dir = path.join(camDir, sub.name);
      const incoming = sub.name === '.incoming';
      if (!incoming && !DATED.test(sub.name)) continue;
      const known = index.pathsIn(path.join(cam.name, sub.name));
      for (const f of fs.readdirSync(dir)) {
        const rel = path.join(cam.name, sub.name, f);
        if (known.has(rel) || !f.endsWith('.mp4')) continue;
        const file = path.join(dir, f);
        const probe = await probeSegment(o.ffmpegPath, file);
        if (!probe || probe.durationS <= 0) {
          fs.rmSync(file, { force: true });
          r.removed++;
          continue;
        }
        const durationMs = probe.durationS * 1000;
        // A dated file is named by its start; a file left in .incoming ended about when it was last written.
        const named = SEGMENT.exec(f);
        let startMs = !incoming && named ? Number(named[1]) : Math.round(fs.statSync(file).mtimeMs - durationMs);
        let finalRel = rel;
        if (incoming) ({ rel: finalRel, startMs } = freeRelPath(index, cam.name, startMs));
        const dest = index.absolute(finalRel);
        if (incoming) {
          fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
          fs.renameSync(file, dest);
        }
        tightenPrivateFile(dest);
        index.insertComplete(cam.name, { relPath: finalRel, startMs, endMs: startMs + durationMs, bytes: fs.statSync(dest).size, codec: probe.codec });
        r.indexed++;
      }
    }
  }
  return r;
}

/** The dated path for a segment starting at startMs, moved on by a millisecond while a file already has it. */
function freeRelPath(index: SegmentIndex, cameraId: string, startMs: number): { rel: string; startMs: number } {
  let at = Math.round(startMs);
  while (fs.existsSync(index.absolute(segmentRelPath(cameraId, at)))) at += 1;
  return { rel: segmentRelPath(cameraId, at), startMs: at };
}
