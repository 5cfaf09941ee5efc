import type { PrivacyMask } from '../../shared/domain/privacy-mask';
import { AuditSeal } from '../audit/audit-seal';
import { AuditTrail } from '../auth/audit-trail';
import { nullLogger } from '../logging/logger';
import { PrivacyMasksRepository } from '../privacy/privacy-masks.repository';
import { CameraRepository } from '../storage/camera.repository';
import { openDatabase, type Db } from '../storage/database';
import { keyFileSecretBox } from '../storage/key-file-secret-box';
import { FolderSegments } from './folder-segments';
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
  segments: FolderSegments;
}

/**
 * A data directory with two cameras, a privacy mask on Gate, and 30 s of recording of each from T0 in the
 * recorder's layout (Gate as fragmented MP4, Loading bay as MPEG-TS). Close `db` after the test.
 */
export function makeEvidenceSite(dataDir: string, seconds = 30): EvidenceSite {
  const db = openDatabase({ dataDir, logger: nullLogger });
  const cams = new CameraRepository(db, keyFileSecretBox(dataDir));
  const base = { source: 'rtsp://127.0.0.1/x', rtspTransport: 'tcp' as const, analysisFps: 5, enabled: false, modelId: null };
  const gate = cams.insert({ ...base, name: 'Gate' }).id;
  const bay = cams.insert({ ...base, name: 'Loading bay' }).id;
  new PrivacyMasksRepository(db).saveMasks(gate, [GATE_MASK], new Date().toISOString());
  const audit = new AuditTrail(db, undefined, AuditSeal.open(dataDir));
  audit.prepareSeal();
  const segments = FolderSegments.inDataDir(dataDir);
  writeTestRecording(segments.root, gate, T0, seconds, { format: 'mp4' });
  writeTestRecording(segments.root, bay, T0, seconds, { format: 'ts', size: '480x270' });
  return { db, audit, gate, bay, segments };
}
