import fs from 'node:fs';
import path from 'node:path';
import type { PrivacyMask } from '../../shared/domain/privacy-mask';
import { AuditSeal } from '../audit/audit-seal';
import { AuditTrail } from '../auth/audit-trail';
import { nullLogger } from '../logging/logger';
import { PrivacyMasksRepository } from '../privacy/privacy-masks.repository';
import { CameraRepository } from '../storage/camera.repository';
import { openDatabase, type Db } from '../storage/database';
import { SegmentIndex } from '../recording/segment-index';
import { keyFileSecretBox } from '../storage/key-file-secret-box';
import { probeMedia } from './media-probe';
import { writeTestRecording } from './recordings.test-support';

/** Start of the test recordings: 2026-03-30 02:13:50 UTC. */
export const T0 = Date.parse('2026-03-30T02:13:50.000Z');
/** Top-left quarter of the Gate camera, solid. */
export const GATE_MASK: PrivacyMask = { id: 'm1', points: [[0, 0], [0.5, 0], [0.5, 0.5], [0, 0.5]], style: 'solid', detections: 'ignore' };

export interface EvidenceSite {
  db: Db;
  audit: AuditTrail;
  /** "Gate" (masked, fragmented MP4) and "Loading bay" (no masks, MPEG-TS). */
  gate: string;
  bay: string;
  /** The recording index (`recording_segments`) holding both cameras' segments. */
  segments: SegmentIndex;
}

/**
 * A data directory with two cameras, a privacy mask on Gate, and 30 s of recording of each from `start` (T0) in the
 * recorder's layout (Gate as fragmented MP4, Loading bay as MPEG-TS), indexed in `recording_segments` as the
 * recorder indexes what it completes. Close `db` after the test.
 */
export function makeEvidenceSite(dataDir: string, seconds = 30, start = T0): EvidenceSite {
  const db = openDatabase({ dataDir, logger: nullLogger });
  const cams = new CameraRepository(db, keyFileSecretBox(dataDir));
  const base = { source: 'rtsp://127.0.0.1/x', rtspTransport: 'tcp' as const, analysisFps: 5, enabled: false, modelId: null };
  const gate = cams.insert({ ...base, name: 'Gate' }).id;
  const bay = cams.insert({ ...base, name: 'Loading bay' }).id;
  new PrivacyMasksRepository(db).saveMasks(gate, [GATE_MASK], new Date().toISOString());
  const audit = new AuditTrail(db, undefined, AuditSeal.open(dataDir));
  audit.prepareSeal();
  const segments = new SegmentIndex(db, path.join(dataDir, 'recordings'));
  indexRecording(segments, gate, writeTestRecording(segments.root, gate, start, seconds, { format: 'mp4' }));
  indexRecording(segments, bay, writeTestRecording(segments.root, bay, start, seconds, { format: 'ts', size: '480x270' }));
  return { db, audit, gate, bay, segments };
}

/** Index rows for segment files named `<startMs>.<ext>` (start from the name, end and codec from ffprobe). */
function indexRecording(index: SegmentIndex, cameraId: string, files: string[]): void {
  for (const file of files) {
    const facts = probeMedia(file);
    if (!facts) throw new Error(`test recording does not play: ${file}`);
    const startMs = Number(path.basename(file).replace(/\..*$/, ''));
    index.insertComplete(cameraId, { relPath: path.relative(index.root, file), startMs, endMs: startMs + facts.durationMs, bytes: fs.statSync(file).size, codec: facts.codec });
  }
}
