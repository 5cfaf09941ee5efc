import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs';
import { MANIFEST_FILE } from '../../shared/domain/evidence';
import type { AuditTrail } from '../auth/audit-trail';
import type { SegmentIndex } from '../recording/segment-index';
import type { Db } from '../storage/database';
import { exportEvidence, planEvidenceExport, type EvidenceExportRequest } from './evidence-export';
import { GATE_MASK, makeEvidenceSite, T0 } from './evidence-site.test-support';
import { auditRowLookup, databaseEvidenceSources } from './evidence-sources';
import { verifyEvidenceFolder } from './evidence-verify';
import { PlaybackClips } from './playback-clips';
import { durationS, greyFrame, meanDiff, meanLevel, writeTestRecording } from './recordings.test-support';
import { probeMedia } from './media-probe';

const newDir = tempDirs('wr-evidence-');
const W = 320;
const H = 180;
const MASK_RECT = { x0: 0.05, y0: 0.05, x1: 0.45, y1: 0.45 };
const OPEN_RECT = { x0: 0.55, y0: 0.55, x1: 0.95, y1: 0.95 };

let dataDir: string;
let outDir: string;
let db: Db;
let audit: AuditTrail;
let camA: string;
let camB: string;
let segments: SegmentIndex;

beforeEach(() => {
  dataDir = newDir();
  outDir = newDir();
  ({ db, audit, gate: camA, bay: camB, segments } = makeEvidenceSite(dataDir));
});
afterEach(() => db.close());

const sources = () => databaseEvidenceSources({ db, dataDir, segments, audit, actorNamed: () => undefined });
const request = (over: Partial<EvidenceExportRequest> = {}): EvidenceExportRequest => ({
  cameraIds: [camA, camB],
  fromMs: T0 + 5_500,
  toMs: T0 + 25_500,
  reason: 'Alarm 02:14 at the gate',
  liftMasks: false,
  destination: outDir,
  actor: 'sam',
  ...over,
});

describe('evidence export (real ffmpeg)', () => {
  it('exports 20 s of two cameras: durations, first frames, burned-in mask, manifest; verify names each changed file', async () => {
    const seen: number[] = [];
    const { folder, manifest } = await exportEvidence(request(), sources(), { onProgress: (f) => seen.push(f) });
    expect(path.dirname(folder)).toBe(outDir);
    expect(fs.readdirSync(outDir)).toEqual([path.basename(folder)]);
    expect(seen.at(-1)).toBe(1);

    const files = manifest.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['Gate.mp4', 'Loading_bay.mp4', 'events.csv', 'summary.pdf']));
    expect(manifest.cameras.map((c) => c.masks)).toEqual(['burned-in', 'none']);
    expect(manifest.reason).toBe('Alarm 02:14 at the gate');
    expect(manifest.range).toEqual({ from: '2026-03-30T02:13:55.500Z', to: '2026-03-30T02:14:15.500Z' });
    // The audit row that recorded the export is the trail's row with that hash.
    const row = auditRowLookup(db)(manifest.auditRow!.id);
    expect(row?.hash).toBe(manifest.auditRow!.hash);
    expect(row?.detail).toMatchObject({ reason: 'Alarm 02:14 at the gate', manifestSha256: manifest.manifestSha256 });

    for (const cam of manifest.cameras) {
      const file = path.join(folder, cam.file);
      expect(Math.abs(durationS(file) - 20)).toBeLessThanOrEqual(1);
      // The export's first frame is the recording's frame at 02:13:55.5 (segment 2 starts at +4 s: 1.5 s into it).
      const rec = segments.segmentsFor(cam.id, T0 + 5_500, T0 + 5_501)[0]!;
      const offsetS = (T0 + 5_500 - rec.startMs) / 1000;
      const exported = greyFrame(file, 0, W, H);
      const recorded = greyFrame(rec.path, offsetS, W, H);
      const secondEarlier = greyFrame(rec.path, offsetS - 1, W, H);
      const same = meanDiff(exported, recorded, W, H, OPEN_RECT);
      expect(same).toBeLessThan(6);
      // …and not merely a similar picture: a second earlier differs far more.
      expect(meanDiff(exported, secondEarlier, W, H, OPEN_RECT)).toBeGreaterThan(same * 2);
      if (cam.masks === 'burned-in') {
        expect(meanLevel(exported, W, H, MASK_RECT)).toBeLessThan(20);
        expect(meanLevel(recorded, W, H, MASK_RECT)).toBeGreaterThan(40);
        // Masked on the last frames too.
        expect(meanLevel(greyFrame(file, 19.5, W, H), W, H, MASK_RECT)).toBeLessThan(20);
      } else {
        expect(meanDiff(exported, recorded, W, H, MASK_RECT)).toBeLessThan(6);
      }
    }

    const lookup = auditRowLookup(db);
    expect(verifyEvidenceFolder(folder, lookup)).toMatchObject({ state: 'intact', changed: [], missing: [], added: [] });
    // Change one byte of each file in turn: verify names exactly that file.
    for (const rel of [...files, MANIFEST_FILE]) {
      const p = path.join(folder, rel);
      const original = fs.readFileSync(p);
      const changed = Buffer.from(original);
      const at = rel === MANIFEST_FILE ? original.indexOf('Alarm 02:14') : Math.floor(original.length / 2);
      changed[at] = changed[at]! ^ 0x01;
      fs.writeFileSync(p, changed);
      const r = verifyEvidenceFolder(folder, lookup);
      expect(r.state, rel).toBe('changed');
      expect(r.changed, rel).toEqual([rel]);
      expect(r.message).toContain(rel);
      fs.writeFileSync(p, original);
    }
    fs.rmSync(path.join(folder, 'events.csv'));
    fs.writeFileSync(path.join(folder, 'extra.txt'), 'x');
    expect(verifyEvidenceFolder(folder, lookup)).toMatchObject({ state: 'changed', changed: [], missing: ['events.csv'], added: ['extra.txt'] });
  });

  it('refuses bad input with a clear message and writes nothing', () => {
    const src = sources();
    expect(() => planEvidenceExport(request({ reason: '  ' }), src)).toThrow(/reason/);
    expect(() => planEvidenceExport(request({ fromMs: T0 + 60_000, toMs: T0 + 80_000 }), src)).toThrow(/no recording of Gate/);
    expect(() => planEvidenceExport(request({ toMs: T0 + 31 * 86_400_000 }), src)).toThrow(/longer than recordings are kept \(30 days\)/);
    expect(() => planEvidenceExport(request({ cameraIds: [camA, 'gone'] }), src)).toThrow(/no longer exists/);
    expect(() => planEvidenceExport(request({ destination: path.join(outDir, 'nope') }), src)).toThrow(/does not exist/);
    expect(() => planEvidenceExport(request(), { ...src, freeBytes: () => 1024 })).toThrow(/too full/);
    expect(fs.readdirSync(outDir)).toEqual([]);
  });

  it('a cancelled export leaves nothing behind', async () => {
    const ctl = new AbortController();
    const job = exportEvidence(request(), sources(), { signal: ctl.signal, onProgress: (f) => f > 0.05 && ctl.abort() });
    await expect(job).rejects.toThrow(/cancelled/);
    expect(fs.readdirSync(outDir)).toEqual([]);
  });

  it('playback: joins the segments around a moment into one fragmented MP4 whose time is wall time', async () => {
    const clips = new PlaybackClips(segments, path.join(dataDir, 'cache', 'playback'));
    const clip = await clips.clipAt(camB, T0 + 12_000);
    expect(clip).toMatchObject({ cameraId: camB, clipStartMs: T0, codec: 'h264', transcoded: false });
    expect(Math.abs(clip.clipEndMs - (T0 + 30_000))).toBeLessThan(200);
    expect(Math.abs(durationS(clip.file) - 30)).toBeLessThanOrEqual(0.5);
    expect(clips.fileOf(clip.id)).toBe(clip.file);
    expect(clips.fileOf('../../etc/passwd')).toBeNull();
    // Frame at 12 s into the clip is the recording's frame at T0 + 12 s.
    const rec = segments.segmentsFor(camB, T0 + 12_000, T0 + 12_001)[0]!;
    expect(meanDiff(greyFrame(clip.file, 12, W, H), greyFrame(rec.path, (T0 + 12_000 - rec.startMs) / 1000, W, H), W, H)).toBeLessThan(2);
    await expect(clips.clipAt(camB, T0 + 60_000)).rejects.toThrow(/no recording/);

    // A camera with masks in force: burned into the clip exactly as into the live view (the recording stays raw).
    const masked = new PlaybackClips(segments, path.join(dataDir, 'cache', 'playback-masked'), (id) => (id === camA ? [GATE_MASK] : []));
    const gate = await masked.clipAt(camA, T0 + 12_000);
    expect(gate).toMatchObject({ masked: true, transcoded: false });
    const frame = greyFrame(gate.file, (T0 + 12_000 - gate.clipStartMs) / 1000, W, H);
    expect(meanLevel(frame, W, H, MASK_RECT)).toBeLessThan(20);
    const raw = segments.segmentsFor(camA, T0 + 12_000, T0 + 12_001)[0]!;
    expect(meanLevel(greyFrame(raw.path, (T0 + 12_000 - raw.startMs) / 1000, W, H), W, H, MASK_RECT)).toBeGreaterThan(40);
  });

  it('playback of an H.265 recording: transcoded on demand to H.264 (the recording stays H.265), on the same wall time', async () => {
    const files = writeTestRecording(segments.root, 'hevc-cam', T0, 8, { format: 'mp4', codec: 'hevc' });
    for (const f of files) {
      const facts = probeMedia(f)!;
      const startMs = Number(path.basename(f, '.mp4'));
      segments.insertComplete('hevc-cam', { relPath: path.relative(segments.root, f), startMs, endMs: startMs + facts.durationMs, bytes: fs.statSync(f).size, codec: facts.codec });
    }
    expect(segments.segmentsFor('hevc-cam', T0, T0 + 8_000).map((x) => x.codec)).toEqual(['hevc', 'hevc', 'hevc', 'hevc']);
    const clips = new PlaybackClips(segments, path.join(dataDir, 'cache', 'playback'));
    const clip = await clips.clipAt('hevc-cam', T0 + 3_000);
    expect(clip).toMatchObject({ codec: 'hevc', transcoded: true, clipStartMs: T0 });
    expect(probeMedia(clip.file)?.codec).toBe('h264');
    expect(Math.abs(durationS(clip.file) - 8)).toBeLessThanOrEqual(0.5);
    for (const f of files) expect(probeMedia(f)?.codec).toBe('hevc');
    const rec = segments.segmentsFor('hevc-cam', T0 + 5_000, T0 + 5_001)[0]!;
    expect(meanDiff(greyFrame(clip.file, 5, W, H), greyFrame(rec.path, (T0 + 5_000 - rec.startMs) / 1000, W, H), W, H)).toBeLessThan(6);
  });
});
