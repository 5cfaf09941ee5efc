import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alive, cameraConfig, createCameraHarness, poll } from '../../../test/support/camera-harness';
import { startGstRtspServer, stopAllRtspServers, type RtspServer } from '../../../test/support/rtsp-server';
import { fixtures, repoRoot } from '../../../test/support/shared-fixtures';
import { tempDirs } from '../../../test/support/temp-dirs';
import type { SystemHealthSignal } from '../alarms/system-health';
import { nullLogger } from '../logging/logger';
import { openDatabase, type Db } from '../storage/database';
import { SettingsRepository } from '../storage/settings.repository';
import { RecordingSettingsRepository } from './recording-settings.repository';
import { RecordingService, type RecordingServiceOptions } from './recording.service';
import { SegmentIndex } from './segment-index';
import { WatchroomEngine } from '../services/engine';
import { NO_WORKERS } from '../camera/quiet-camera-runtime.test-support';
import { ADMIN_CTX, asRole } from '../auth/as-role.test-support';
import type { CameraRuntime } from '../camera/camera-runtime';

/**
 * Recording with real ffmpeg and a real RTSP server (GStreamer): continuous recording, a SIGKILLed recorder,
 * camera worker and host, the source going away and back, quota and free-space pressure. Every assertion is on
 * files and the index (ffprobe plays each segment), never on timings.
 */
const CLIP = () => fixtures.video('intel_one_by_one_person.mp4');
const tmp = tempDirs('watchroom-rec-');
const services: RecordingService[] = [];
const dbs: Db[] = [];
const strays: number[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
  dbs.splice(0).forEach((d) => d.close());
  await stopAllRtspServers();
});
afterAll(() => {
  for (const pid of strays) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

/** Frames ffprobe reads from a file (0 when it does not play). */
function playableFrames(file: string): number {
  const r = spawnSync('ffprobe', ['-v', 'error', '-count_packets', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) || 0 : 0;
}

function openDb(dataDir: string): Db {
  const db = openDatabase({ dataDir, logger: nullLogger });
  dbs.push(db);
  return db;
}

function addCamera(db: Db, id: string, source: string): void {
  db.prepare("INSERT INTO cameras (id, name, source, rtsp_transport, analysis_fps, enabled, created_at, updated_at) VALUES (?, ?, ?, 'tcp', 5, 1, '', '')").run(id, id, source);
}

function recorder(dataDir: string, db: Db, cameras: RecordingServiceOptions['cameras'], extra: Partial<RecordingServiceOptions> = {}) {
  const index = new SegmentIndex(db, path.join(dataDir, 'recordings'));
  const service = new RecordingService({
    index,
    settings: new RecordingSettingsRepository(db, new SettingsRepository(db)),
    logger: nullLogger,
    cameras,
    ffmpegPath: () => 'ffmpeg',
    segmentSeconds: 2,
    stallMs: 8000,
    tickMs: 500,
    backoff: { initialMs: 300, maxMs: 2000 },
    ...extra,
  });
  services.push(service);
  return { index, service };
}

const okSegments = (index: SegmentIndex, cam: string) => index.segmentsFor(cam, 0, Date.now() + 60_000).filter((s) => s.status === 'ok');

async function serverFor(): Promise<RtspServer> {
  return startGstRtspServer({ clip: CLIP() });
}

describe('recording (real ffmpeg, real RTSP server)', () => {
  it('records continuously into playable dated segments (0600 files, 0700 folders); a SIGKILLed recorder ffmpeg leaves every earlier segment playable and recording goes on', async () => {
    const server = await serverFor();
    const dataDir = tmp();
    const db = openDb(dataDir);
    addCamera(db, 'door', server.url());
    const { index, service } = recorder(dataDir, db, () => [{ id: 'door', source: server.url(), rtspTransport: 'tcp', enabled: true }]);
    await service.start();
    await poll('three complete segments', () => okSegments(index, 'door').length >= 3, 60_000);
    const first = okSegments(index, 'door');
    for (const s of first) {
      expect(s.path).toBe(path.join(dataDir, 'recordings', 'door', new Date(s.startMs).toISOString().slice(0, 10), `${s.startMs}.mp4`));
      expect(s.codec).toBe('h264');
      expect(s.bytes).toBe(fs.statSync(s.path).size);
      expect(playableFrames(s.path)).toBeGreaterThan(0);
      expect(fs.statSync(s.path).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(s.path)).mode & 0o777).toBe(0o700);
    }
    expect(index.ranges('door', 0, Date.now() + 60_000)).toHaveLength(1);

    // SIGKILL the recorder mid-segment (a segment is open).
    const pid = service.recorderPids().get('door')!;
    await poll('a segment being written', () => index.segmentsFor('door', 0, Date.now() + 60_000).some((s) => s.status === 'recording' && fs.existsSync(s.path) && fs.statSync(s.path).size > 1000), 30_000);
    process.kill(pid, 'SIGKILL');
    await poll('a new recorder', () => {
      const now = service.recorderPids().get('door');
      return now !== undefined && now !== pid;
    }, 30_000);
    const before = okSegments(index, 'door').length;
    await poll('two more segments after the restart', () => okSegments(index, 'door').length >= before + 2, 60_000);
    for (const s of first) expect(playableFrames(s.path)).toBeGreaterThan(0);
    await service.stop();
    const all = index.segmentsFor('door', 0, Date.now() + 60_000);
    expect(all.filter((s) => s.status !== 'ok')).toEqual([]);
    for (const s of all) expect(playableFrames(s.path)).toBeGreaterThan(0);
  });

  it('events mode: nothing is kept while nothing happens; an event keeps its pre-roll (from the rolling buffer) and post-roll, checked with ffprobe', async () => {
    const server = await serverFor();
    const dataDir = tmp();
    const db = openDb(dataDir);
    addCamera(db, 'porch', server.url());
    const PRE_S = 4;
    const POST_S = 4;
    const { index, service } = recorder(dataDir, db, () => [{ id: 'porch', source: server.url(), rtspTransport: 'tcp', enabled: true }]);
    service.setCameraSettings('porch', { mode: 'events', preRollS: PRE_S, postRollS: POST_S, retentionDays: 30, eventRetentionDays: null, schedule: null });
    await service.start();
    const recordingSince = Date.now();

    // Nothing happens: the rolling buffer keeps only the last seconds, older segments go (files and rows).
    const first = await poll('a complete segment', () => okSegments(index, 'porch')[0], 60_000);
    await poll('the first segment to leave the rolling buffer', () => !index.get(first.id), 60_000);
    expect(fs.existsSync(first.path)).toBe(false);
    const quiet = okSegments(index, 'porch');
    const keptMs = quiet.reduce((n, seg) => n + seg.endMs - seg.startMs, 0);
    expect(keptMs).toBeLessThan(Date.now() - recordingSince);
    expect(quiet.every((seg) => !index.get(seg.id)!.event)).toBe(true);
    // Only files the index knows are on disk: nothing kept behind its back.
    const onDisk = () => fs.readdirSync(path.join(dataDir, 'recordings', 'porch'), { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && !d.parentPath.endsWith('.incoming'));
    expect(onDisk().length).toBeLessThanOrEqual(okSegments(index, 'porch').length);

    // An event now: its pre-roll is already on disk, its post-roll is still to come.
    const atMs = Date.now();
    const windowFrom = atMs - PRE_S * 1000;
    const windowTo = atMs + POST_S * 1000;
    service.onEvent('porch', atMs);
    await poll('the post-roll recorded', () => okSegments(index, 'porch').some((seg) => seg.endMs >= windowTo + 2000), 60_000);
    // Long enough for the buffer to have dropped everything outside the window (pre-roll plus lateness, plus a pass).
    await poll('ordinary footage around the event to be dropped', () => Date.now() > windowTo + 18_000 && index.endedBefore('porch', windowTo + 2000, false).length === 0, 90_000);

    const kept = okSegments(index, 'porch').filter((seg) => seg.endMs > windowFrom && seg.startMs < windowTo);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((seg) => index.get(seg.id)!.event)).toBe(true);
    // The kept footage covers the whole window without a gap: from before the pre-roll to after the post-roll.
    expect(index.ranges('porch', windowFrom, windowTo)).toEqual([{ startMs: windowFrom, endMs: windowTo }]);
    expect(kept[0]!.startMs).toBeLessThanOrEqual(windowFrom);
    expect(kept.at(-1)!.endMs).toBeGreaterThanOrEqual(windowTo);
    // ffprobe: each file plays for what the index says, and together they hold the pre-roll and the post-roll.
    let probedS = 0;
    for (const seg of kept) {
      const d = Number(spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', seg.path], { encoding: 'utf8' }).stdout.trim());
      expect(Math.abs(d * 1000 - (seg.endMs - seg.startMs)), seg.path).toBeLessThan(300);
      expect(playableFrames(seg.path)).toBeGreaterThan(0);
      probedS += d;
    }
    expect(probedS).toBeGreaterThanOrEqual(PRE_S + POST_S);
    // …and not much more: at most a segment (about 2 s, cut on a key frame) on either side.
    expect(probedS).toBeLessThan(PRE_S + POST_S + 2 * 3);
    // Before the window and after it (once out of the buffer), nothing ordinary is kept.
    expect(index.endedBefore('porch', windowFrom, false)).toEqual([]);
    await service.stop();
  });

  it('the RTSP server going away and coming back leaves a gap in the ranges, not a broken file', async () => {
    const server = await serverFor();
    const dataDir = tmp();
    const db = openDb(dataDir);
    addCamera(db, 'gate', server.url());
    const { index, service } = recorder(dataDir, db, () => [{ id: 'gate', source: server.url(), rtspTransport: 'tcp', enabled: true }]);
    await service.start();
    await poll('two complete segments', () => okSegments(index, 'gate').length >= 2, 60_000);
    const pid = service.recorderPids().get('gate')!;
    await server.stop();
    await poll('the recorder to end with its source', () => !alive(pid), 30_000);
    // Nothing records while the server is away (the restarts fail): let a few restarts fail.
    await poll('a failed restart', () => !service.recorderPids().has('gate') || service.recorderPids().get('gate') !== pid, 30_000);
    await new Promise((r) => setTimeout(r, 3000));
    await server.restart();
    const before = okSegments(index, 'gate').length;
    await poll('two segments after the server came back', () => okSegments(index, 'gate').length >= before + 2, 60_000);
    await service.stop();
    const ranges = index.ranges('gate', 0, Date.now() + 60_000);
    expect(ranges.length).toBeGreaterThanOrEqual(2);
    const all = index.segmentsFor('gate', 0, Date.now() + 60_000);
    expect(all.every((s) => s.status === 'ok')).toBe(true);
    for (const s of all) expect(playableFrames(s.path)).toBeGreaterThan(0);
  });

  it('a SIGKILLed camera worker does not touch the recorder: same ffmpeg, segments go on', async () => {
    const server = await serverFor();
    const dataDir = tmp();
    const db = openDb(dataDir);
    addCamera(db, 'yard', server.url());
    const { index, service } = recorder(dataDir, db, () => [{ id: 'yard', source: server.url(), rtspTransport: 'tcp', enabled: true }]);
    const h = createCameraHarness();
    try {
      h.supervisor.apply([cameraConfig('yard', server.url())]);
      await service.start();
      await h.waitForState('yard', 'online');
      await poll('a complete segment', () => okSegments(index, 'yard').length >= 1, 60_000);
      const recorderPid = service.recorderPids().get('yard')!;
      const workerPid = h.supervisor.processes('yard').workerPid!;
      process.kill(workerPid, 'SIGKILL');
      await poll('a new camera worker', () => {
        const p = h.supervisor.processes('yard').workerPid;
        return p !== null && p !== workerPid;
      }, 60_000);
      const before = okSegments(index, 'yard').length;
      await poll('two more segments', () => okSegments(index, 'yard').length >= before + 2, 60_000);
      expect(service.recorderPids().get('yard')).toBe(recorderPid);
      for (const s of okSegments(index, 'yard')) expect(playableFrames(s.path)).toBeGreaterThan(0);
    } finally {
      await h.dispose();
    }
  });

  describe('a SIGKILLed host', () => {
    let bundle = '';
    beforeAll(async () => {
      const dir = tmp();
      const src = (p: string) => JSON.stringify(path.join(repoRoot, p));
      fs.writeFileSync(
        path.join(dir, 'host.ts'),
        `
import path from 'node:path';
import { openDatabase } from ${src('app/engine/storage/database')};
import { SettingsRepository } from ${src('app/engine/storage/settings.repository')};
import { nullLogger } from ${src('app/engine/logging/logger')};
import { RecordingService } from ${src('app/engine/recording/recording.service')};
import { RecordingSettingsRepository } from ${src('app/engine/recording/recording-settings.repository')};
import { SegmentIndex } from ${src('app/engine/recording/segment-index')};
const [dataDir, url] = process.argv.slice(2);
const db = openDatabase({ dataDir, logger: nullLogger });
const index = new SegmentIndex(db, path.join(dataDir, 'recordings'));
const service = new RecordingService({ index, settings: new RecordingSettingsRepository(db, new SettingsRepository(db)), logger: nullLogger,
  cameras: () => [{ id: 'hall', source: url, rtspTransport: 'tcp', enabled: true }], ffmpegPath: () => 'ffmpeg', segmentSeconds: 2, tickMs: 500 });
void service.start();
setInterval(() => {
  const ok = index.segmentsFor('hall', 0, Date.now() + 60000).filter((s) => s.status === 'ok').length;
  const open = index.segmentsFor('hall', 0, Date.now() + 60000).some((s) => s.status === 'recording');
  if (ok >= 2 && open) console.log('RECORDER ' + service.recorderPids().get('hall'));
}, 200);
`,
      );
      bundle = path.join(dir, 'host.cjs');
      await esbuild.build({ entryPoints: [path.join(dir, 'host.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', packages: 'external', logLevel: 'warning' });
    });

    it('mid-segment: the recorder ffmpeg dies with it, every earlier segment plays, and the next start makes the index consistent', async () => {
      const server = await serverFor();
      const dataDir = tmp();
      const setup = openDatabase({ dataDir, logger: nullLogger });
      addCamera(setup, 'hall', server.url());
      setup.close();
      const host: ChildProcess = spawn(process.execPath, [bundle, dataDir, server.url()], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') } });
      let out = '';
      host.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      host.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const m = await poll('the host to record', () => /RECORDER (\d+)/.exec(out), 60_000, () => out.slice(-2000));
      const ffmpegPid = Number(m[1]);
      strays.push(ffmpegPid);
      host.kill('SIGKILL');
      await poll('the recorder ffmpeg to die with its host', () => !alive(ffmpegPid), 20_000);

      const db = openDb(dataDir);
      const index = new SegmentIndex(db, path.join(dataDir, 'recordings'));
      expect(index.segmentsFor('hall', 0, Date.now() + 60_000).some((s) => s.status === 'recording')).toBe(true);
      // Damage of another kind too: a segment file deleted behind the index's back, a file the index never saw.
      const [gone, copied] = okSegments(index, 'hall');
      fs.rmSync(gone!.path);
      const strayFile = path.join(path.dirname(copied!.path), `${copied!.startMs + 1}.mp4`);
      fs.copyFileSync(copied!.path, strayFile);
      fs.writeFileSync(path.join(path.dirname(copied!.path), `${copied!.startMs + 2}.mp4`), 'not a video');

      const { service } = recorder(dataDir, db, () => []);
      await service.start();
      const all = index.segmentsFor('hall', 0, Date.now() + 60_000);
      expect(all.filter((s) => s.status === 'recording')).toEqual([]);
      expect(all.filter((s) => s.status === 'missing').map((s) => s.id)).toEqual([gone!.id]);
      expect(all.some((s) => s.path === strayFile && s.status === 'ok')).toBe(true);
      expect(fs.existsSync(path.join(path.dirname(copied!.path), `${copied!.startMs + 2}.mp4`))).toBe(false);
      for (const s of all.filter((x) => x.status === 'ok')) expect(playableFrames(s.path)).toBeGreaterThan(0);
      // No file left unindexed.
      const files = fs.readdirSync(path.join(dataDir, 'recordings', 'hall'), { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
      expect(files.length).toBe(all.filter((s) => s.status === 'ok').length);
    });
  });

  it('quota pressure removes the oldest segments first; no room at all stops recording and raises the alarm, room again resumes it', async () => {
    const server = await serverFor();
    const dataDir = tmp();
    const db = openDb(dataDir);
    addCamera(db, 'dock', server.url());
    let free = 1e15;
    const signals: SystemHealthSignal[] = [];
    const { index, service } = recorder(dataDir, db, () => [{ id: 'dock', source: server.url(), rtspTransport: 'tcp', enabled: true }], { freeBytes: () => free, onSystemHealth: (s) => signals.push(s) });
    await service.start();
    await poll('three complete segments', () => okSegments(index, 'dock').length >= 3, 60_000);
    const firstThree = okSegments(index, 'dock').slice(0, 3);
    // A quota of about two segments: the oldest go first, recording goes on.
    const quota = firstThree[1]!.bytes + firstThree[2]!.bytes;
    service.setStorage({ quotaGb: quota / 1024 ** 3, minFreeMb: 0 });
    const newest = () => okSegments(index, 'dock').at(-1)!.startMs;
    const newestAtQuota = newest();
    await poll('a newer segment under the quota', () => newest() > newestAtQuota, 60_000);
    service.pass();
    const kept = okSegments(index, 'dock');
    expect(kept.some((s) => s.id === firstThree[0]!.id)).toBe(false);
    expect(kept.reduce((a, s) => a + s.bytes, 0)).toBeLessThanOrEqual(quota);
    expect(fs.existsSync(firstThree[0]!.path)).toBe(false);
    expect(service.recorderPids().has('dock')).toBe(true);
    expect(signals).toEqual([]);

    // The disk below the floor and nothing left to remove: recording stops, the alarm is raised; live view is not ours to stop.
    free = 0;
    service.setStorage({ quotaGb: 0, minFreeMb: 1 });
    await poll('recording to stop', () => !service.recorderPids().has('dock'), 30_000);
    expect(service.usage().stoppedForSpace).toBe(true);
    expect(signals).toMatchObject([{ kind: 'raise', condition: 'recording-stopped', subject: 'recordings' }]);

    free = 1e15;
    service.pass();
    await poll('recording to resume', () => service.recorderPids().has('dock'), 30_000);
    expect(signals.map((s) => s.kind)).toEqual(['raise', 'clear']);
  });

  it('through the engine: a new camera records continuously; recordings:ranges shows it to officers, viewers get nothing, admins change its mode', async () => {
    const server = await serverFor();
    const dataDir = tmp();
    const quiet: CameraRuntime = {
      apply: () => undefined,
      state: () => ({ type: 'online', since: 1 }),
      onState: () => ({ dispose: () => undefined }),
      onFrame: () => ({ dispose: () => undefined }),
      onAnalytics: () => ({ dispose: () => undefined }),
      onTracks: () => ({ dispose: () => undefined }),
      setRules: () => undefined,
      health: () => [],
      dispose: async () => undefined,
    };
    const engine = new WatchroomEngine({ dataDir, workerStarter: NO_WORKERS, logger: nullLogger, hostKind: 'headless', version: '0.1.0', cameraRuntimeFactory: () => quiet, detection: false, nativeModelsDir: path.join(dataDir, 'none'), recording: { segmentSeconds: 2, tickMs: 500, ffmpegPath: () => 'ffmpeg' } });
    engine.start();
    try {
      const added = await engine.dispatch('cameras:add', { name: 'Lobby', source: server.url() }, ADMIN_CTX);
      const cameraId = (added as { value: { id: string } }).value.id;
      expect(await engine.dispatch('recordings:camera-get', { cameraId }, ADMIN_CTX)).toMatchObject({ ok: true, value: { mode: 'continuous' } });
      await engine.recording.start();
      engine.recording.reconcile();
      await poll('two complete segments', () => engine.segments.segmentsFor(cameraId, 0, Date.now() + 60_000).filter((s) => s.status === 'ok').length >= 2, 60_000);
      const ranges = await engine.dispatch('recordings:ranges', { cameraId, fromMs: Date.now() - 3_600_000, toMs: Date.now() + 60_000 }, asRole('officer'));
      expect(ranges).toMatchObject({ ok: true, value: { cameraId, ranges: [{ startMs: expect.any(Number), endMs: expect.any(Number) }] } });
      expect(await engine.dispatch('recordings:ranges', { cameraId, fromMs: 0, toMs: 1000 }, asRole('viewer'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await engine.dispatch('recordings:ranges', { cameraId: 'gone', fromMs: 0, toMs: 1000 }, asRole('officer'))).toMatchObject({ ok: false, error: { code: 'not-found' } });
      const off = await engine.dispatch('recordings:camera-set', { cameraId, settings: { mode: 'off', preRollS: 10, postRollS: 20, retentionDays: 30, eventRetentionDays: null, schedule: null } }, ADMIN_CTX);
      expect(off).toMatchObject({ ok: true, value: { mode: 'off' } });
      await poll('the recorder to stop', () => !engine.recording.recorderPids().has(cameraId), 30_000);
      const storage = await engine.dispatch('recordings:storage-get', undefined, asRole('officer'));
      expect(storage).toMatchObject({ ok: true, value: { storage: { quotaGb: 0 }, usage: { stoppedForSpace: false } } });
    } finally {
      await engine.dispose();
    }
  });
});
