import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../../../test/support/shared-fixtures';
import type { AlarmView } from '../../shared/domain/alarms';
import type { LiveFrame } from '../../shared/domain/detection';
import type { FaceMatchView } from '../../shared/domain/faces';
import { ADMIN_CTX, asRole } from '../auth/as-role.test-support';
import { nullLogger, type Logger } from '../logging/logger';
import { importModel } from '../models/model-import';
import { createNodeWorkerStarter } from '../process/node-worker-starter';
import { WatchroomEngine } from '../services/engine';

/**
 * Face matching in the live pipeline, end to end: real camera and inference workers, ffmpeg, ONNX Runtime (person
 * detector and face models, both in the inference worker; enrolment's face models in the engine) and SQLite. Two cameras play the corridor clip (two people walking towards the
 * camera); the man is on the watchlist, enrolled from one frame of the clip.
 */
const clip = () => fixtures.video('intel_face_demographics_walking_preview.mp4');
const dirs: string[] = [];
const engines: WatchroomEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});
const tmpDir = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
};

async function invoke<T>(engine: WatchroomEngine, channel: string, input?: unknown, ctx = ADMIN_CTX): Promise<T> {
  const r = await engine.dispatch(channel as Parameters<WatchroomEngine['dispatch']>[0], input, ctx);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as T;
}

async function poll<T>(what: string, fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 90_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; engine warnings:\n${logged.join('\n')}`);
}

/** Warnings and errors of the engine (printed when a wait times out: the machine may be busy). */
const logged: string[] = [];
const keep = (level: string) => (msg: string, fields?: Record<string, unknown>) => void (logged.length < 200 && logged.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`));
const testLogger: Logger = { debug() {}, info() {}, warn: keep('warn'), error: keep('error'), child: () => testLogger };

async function makeEngine(nativeModelsDir?: string) {
  const modelsDir = tmpDir('wr-face-models-');
  await importModel({ file: fixtures.model('yolox_nano.onnx'), modelsDir });
  const dataDir = tmpDir('wr-face-live-');
  const engine = new WatchroomEngine({
    dataDir,
    workerStarter: createNodeWorkerStarter({ logger: nullLogger }),
    logger: testLogger,
    hostKind: 'headless',
    version: '0.0.0-test',
    validateOutputs: true,
    modelsDir,
    ...(nativeModelsDir !== undefined ? { nativeModelsDir } : {}),
  });
  engines.push(engine);
  engine.start();
  return { engine, dataDir };
}

async function addCamera(engine: WatchroomEngine, name: string, frames: LiveFrame[]): Promise<string> {
  const cam = await invoke<{ id: string }>(engine, 'cameras:add', { name, source: clip(), analysisFps: 12 });
  engine.subscribeFrames(cam.id, (f) => frames.push(f));
  return cam.id;
}

/** The right half of frame 31 (the man, 12.4 px between the eyes) as a PNG, base64. */
function manPhoto(): string {
  const file = path.join(tmpDir('wr-face-photo-'), 'man.png');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', clip(), '-vf', 'select=eq(n\\,31),crop=240:270:240:0', '-frames:v', '1', file]);
  return fs.readFileSync(file).toString('base64');
}

const faceRows = (dataDir: string) => {
  const db = new Database(path.join(dataDir, 'watchroom.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT entry_id, camera_id, track_id, similarity, alarm_id FROM face_matches ORDER BY at').all() as { entry_id: string; camera_id: string; track_id: number; similarity: number; alarm_id: string }[];
  } finally {
    db.close();
  }
};

describe('face matching on live cameras', () => {
  it('faces on: the listed man opens one alarm per camera and person, with both faces; faces off: nothing about faces; a reject by the officer is audited and counted', async () => {
    const { engine, dataDir } = await makeEngine();
    const entry = await invoke<{ id: string }>(engine, 'faces:enrol', { name: 'Walking Man', category: 'banned', expiresAt: null, photos: [manPhoto()] });
    const offFrames: LiveFrame[] = [];
    const onFrames: LiveFrame[] = [];
    const off = await addCamera(engine, 'Corridor (faces off)', offFrames);
    const on = await addCamera(engine, 'Corridor (faces on)', onFrames);
    await invoke(engine, 'faces:camera-set', { cameraId: on, enabled: true, noticeAccepted: true });

    const alarm = await poll('a face-match alarm', async () => (await invoke<AlarmView[]>(engine, 'alarms:list', { status: 'open' })).find((a) => a.condition === 'face-match'), 240_000);
    expect(alarm).toMatchObject({ kind: 'system', cameraId: null, priority: 1, subject: `face:${on}:${entry.id}`, detail: { condition: 'face-match', entryId: entry.id, cameraId: on, name: 'Walking Man', category: 'banned' } });
    // Both cameras saw the people (confirmed person tracks) all along.
    const tracked = (frames: LiveFrame[]) => frames.some((f) => f.detections?.some((d) => d.cls === 'person' && d.track !== undefined));
    expect(tracked(offFrames) && tracked(onFrames)).toBe(true);

    // Let the clip loop a few more times: later matches of the man on this camera fold into the same open alarm.
    const seen = onFrames.length;
    await poll('four more seconds of frames', () => onFrames.length > seen + 40, 60_000);
    const faceAlarms = (await invoke<AlarmView[]>(engine, 'alarms:list', { status: 'all' })).filter((a) => a.condition === 'face-match');
    expect(faceAlarms.map((a) => a.id)).toEqual([alarm.id]);

    // Only matches of the listed person on the camera with faces on are stored, each linked to that alarm.
    const rows = faceRows(dataDir);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.every((r) => r.entry_id === entry.id && r.camera_id === on && r.alarm_id === alarm.id)).toBe(true);
    console.info(`face matches: ${rows.map((r) => `track ${r.track_id} ${r.similarity.toFixed(3)}`).join(', ')}`);
    // Nothing about faces in the data folder beyond the database (no crops, no embeddings on disk).
    const files = fs.readdirSync(dataDir, { recursive: true }).map(String);
    expect(files.filter((f) => /face|crop|embedding/i.test(f))).toEqual([]);

    // The alarm's match with both faces; the officer rejects, then a second look shows who decided; both audited.
    const latest = (await invoke<AlarmView[]>(engine, 'alarms:list', { status: 'open' })).find((a) => a.id === alarm.id)!;
    const matchId = latest.kind === 'system' && latest.detail.condition === 'face-match' ? latest.detail.matchId : '';
    const officer = asRole('officer');
    const view = await invoke<FaceMatchView>(engine, 'faces:match-get', { id: matchId }, officer);
    expect(view.seenFace).toMatch(/^data:image\/jpeg;base64,.{100}/);
    expect(view.enrolledFace).toMatch(/^data:image\/png;base64,|^data:image\/jpeg;base64,/);
    expect(await invoke<FaceMatchView>(engine, 'faces:match-decide', { id: matchId, outcome: 'rejected' }, officer)).toMatchObject({ outcome: 'rejected', decidedBy: 'test-officer' });
    const listed = await invoke<{ entries: { id: string; rejected: number; falseMatchRate: number | null }[] }>(engine, 'faces:list');
    expect(listed.entries.find((e) => e.id === entry.id)).toMatchObject({ rejected: 1, falseMatchRate: 1 });
    engine.audit.flush();
    const audit = await invoke<{ action: string; actor: string; target: string | null }[]>(engine, 'audit:list', { limit: 500 });
    // (The service's own rows name the actor through the accounts; this in-process test user has none.)
    expect(audit.filter((r) => r.target === `face-match:${matchId}`).map((r) => r.action)).toEqual(expect.arrayContaining(['faces.match.view', 'faces.match.reject']));
    expect(audit.some((r) => r.action === 'faces:match-decide')).toBe(true);

    // The camera with faces off: no alarm, no match, never.
    expect(faceAlarms.some((a) => a.detail?.condition === 'face-match' && a.detail.cameraId === off)).toBe(false);
    expect(rows.some((r) => r.camera_id === off)).toBe(false);
  }, 420_000);

  it('face models missing: enrolment says so plainly; a camera with faces on keeps detecting people', async () => {
    const { engine, dataDir } = await makeEngine(tmpDir('wr-no-native-'));
    const r = await engine.dispatch('faces:enrol', { name: 'Walking Man', category: 'banned', expiresAt: null, photos: [manPhoto()] }, ADMIN_CTX);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/^Face matching is not available: the face-detector model is not installed/) } });
    const frames: LiveFrame[] = [];
    const cam = await addCamera(engine, 'Corridor', frames);
    await invoke(engine, 'faces:camera-set', { cameraId: cam, enabled: true, noticeAccepted: true });
    await poll('a confirmed person track', () => frames.some((f) => f.detections?.some((d) => d.cls === 'person' && d.track !== undefined)));
    const n = frames.length;
    await poll('more frames with people', () => frames.slice(n).filter((f) => f.detections?.some((d) => d.cls === 'person')).length >= 10, 60_000);
    expect(faceRows(dataDir)).toEqual([]);
    // The inference worker answered the live step's look with the plain message; the step paused, detection went on.
    await poll('the live step paused', () => logged.find((l) => l.startsWith('warn face matching paused: person detection goes on') && l.includes('the face-detector model is not installed')), 60_000);
  }, 240_000);
});
