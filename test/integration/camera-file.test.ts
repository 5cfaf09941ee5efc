import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { benchmarksWholeDecode } from '../../app/engine/camera/decode-timing';
import { resolveFfmpeg } from '../../app/engine/ffmpeg/resolve-ffmpeg';
import { parseSource } from '../../app/shared/domain/camera';
import { alive, cameraConfig, createCameraHarness, pgrep, poll, uniqueId, type CameraHarness } from '../support/camera-harness';
import { fixtures } from '../support/shared-fixtures';

// Real worker processes running real ffmpeg on the shared clips and on deliberately bad inputs.
const clip = () => fixtures.video('intel_one_by_one_person.mp4');
let tmp: string;
let h: CameraHarness | null = null;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-camera-'));
  fs.writeFileSync(path.join(tmp, 'notes.txt'), 'This is a text file, not a video.\n'.repeat(50));
  fs.writeFileSync(path.join(tmp, 'empty.mp4'), '');
  fs.writeFileSync(path.join(tmp, 'random.mp4'), crypto.randomBytes(10 * 1024 * 1024));
});
afterEach(async () => {
  await h?.dispose();
  h = null;
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('file cameras', () => {
  it('a looped file camera goes online and frames flow', async () => {
    h = createCameraHarness();
    const id = uniqueId('file');
    h.supervisor.apply([cameraConfig(id, clip())]);
    await h.waitForState(id, 'online');
    const frames = await h.waitForFrames(id, 5);
    const seqs = frames.map((f) => f.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const last = frames.at(-1)!;
    expect(last.jpeg[0]).toBe(0xff);
    expect(last.jpeg[1]).toBe(0xd8);
    expect(last).toMatchObject({ cameraId: id, width: 768, height: 432, detections: null });
    const health = h.supervisor.health();
    expect(health.find((c) => c.id === `camera:${id}`)).toMatchObject({ kind: 'camera', level: 'healthy' });
    await poll('ffmpeg stats', () => h!.supervisor.health().find((c) => c.id === `worker:camera:${id}:ffmpeg`), 20_000);
    // Decode latency, from ffmpeg's own per-call timing of its decoder (only ffmpeg versions whose benchmark times the
    // whole decode report it; with others it stays absent rather than wrong).
    const cameraMetrics = () => h!.supervisor.health().find((c) => c.id === `camera:${id}`)?.metrics;
    if (benchmarksWholeDecode(resolveFfmpeg().version)) {
      const decodeMs = await poll('decode latency in health', () => cameraMetrics()?.decodeLatencyMs, 20_000, () => JSON.stringify(cameraMetrics()));
      expect(Number.isFinite(decodeMs)).toBe(true);
      expect(decodeMs).toBeGreaterThan(0);
    } else {
      await poll('fps in health', () => cameraMetrics()?.fps, 20_000);
      expect(cameraMetrics()).not.toHaveProperty('decodeLatencyMs');
    }
    const { workerPid, ffmpegPid } = h.supervisor.processes(id);
    expect(alive(workerPid)).toBe(true);
    expect(alive(ffmpegPid)).toBe(true);
    await h.dispose();
    expect(alive(workerPid)).toBe(false);
    expect(alive(ffmpegPid)).toBe(false);
    expect(pgrep(`watchroom-cam-${id}`)).toEqual([]);
  });

  it('a short clip loops forever without reconnecting', async () => {
    h = createCameraHarness();
    const id = uniqueId('loop');
    // 2.92 s long at 12 fps: at 5 analysed fps one pass yields about 15 frames.
    h.supervisor.apply([cameraConfig(id, fixtures.video('intel_face_demographics_walking_preview.mp4'), { analysisFps: 5 })]);
    await h.waitForState(id, 'online');
    await h.waitForFrames(id, 40, 90_000);
    expect(h.states.get(id)!.map((s) => s.type)).toEqual(['connecting', 'online']);
    const seqs = h.frames.get(id)!.map((f) => f.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(Math.max(...seqs)).toBeGreaterThanOrEqual(39);
  });

  it('detection configured but unavailable: video keeps flowing with detections null', async () => {
    h = createCameraHarness();
    const id = uniqueId('inf');
    const spec = { modelId: 'm', width: 416, height: 416, colour: 'bgr' as const, letterbox: 'center' as const, padValue: 114 };
    h.supervisor.apply([cameraConfig(id, clip(), { inference: { endpoint: path.join(tmp, 'no-such.sock'), spec } })]);
    await h.waitForState(id, 'online');
    const frames = await h.waitForFrames(id, 3);
    expect(frames.at(-1)!.detections).toBeNull();
  });

  it('bad inputs give a clear state with a reason while another camera keeps running', async () => {
    h = createCameraHarness();
    const good = uniqueId('good');
    const cams = {
      text: cameraConfig(uniqueId('text'), path.join(tmp, 'notes.txt')),
      empty: cameraConfig(uniqueId('empty'), path.join(tmp, 'empty.mp4')),
      random: cameraConfig(uniqueId('random'), path.join(tmp, 'random.mp4')),
      missing: cameraConfig(uniqueId('missing'), path.join(tmp, 'missing.mp4')),
      device: cameraConfig(uniqueId('dev'), '/dev/video99'),
      closed: cameraConfig(uniqueId('closed'), 'rtsp://127.0.0.1:9/cam'),
      malformed: cameraConfig(uniqueId('bad'), 'rtsp://'),
    };
    h.supervisor.apply([cameraConfig(good, clip()), ...Object.values(cams)]);
    await h.waitForState(good, 'online');
    const offline = (re: RegExp) => (s: { type: string; reason?: string }) => s.type === 'offline' && re.test(s.reason ?? '');
    await h.waitForState(cams.text.id, offline(/not a playable video/i));
    await h.waitForState(cams.empty.id, offline(/not a playable video/i));
    await h.waitForState(cams.random.id, offline(/not a playable video|no video stream/i));
    await h.waitForState(cams.missing.id, offline(/file not found/i));
    await h.waitForState(cams.device.id, offline(/no such video device/i));
    await h.waitForState(cams.malformed.id, offline(/malformed|no host/i));
    await h.waitForState(cams.closed.id, (s) => s.type === 'reconnecting' && /connection refused/i.test(s.reason));
    // The good camera is still streaming, and no worker crashed.
    await h.waitForFrames(good, 3);
    expect(h.supervisor.state(good).type).toBe('online');
    const workers = h.supervisor.health().filter((c) => c.kind === 'worker' && !c.id.endsWith(':ffmpeg'));
    for (const w of workers) expect(w.metrics.restarts).toBe(0);
  });

  it('a malformed source is rejected by parseSource with a readable message', () => {
    expect(() => parseSource('rtsp://')).toThrow(/malformed|no host/i);
    expect(() => parseSource('camera one')).toThrow(/not a URL/);
    expect(() => parseSource('ftp://x/y')).toThrow(/Unsupported source scheme/);
  });

  it('a killed worker is restarted with backoff; dispose leaves no process behind', async () => {
    h = createCameraHarness();
    const id = uniqueId('crash');
    h.supervisor.apply([cameraConfig(id, clip())]);
    await h.waitForState(id, 'online');
    const first = await poll('worker and ffmpeg pids', () => {
      const p = h!.supervisor.processes(id);
      return p.workerPid && p.ffmpegPid ? p : null;
    }, 30_000);
    process.kill(first.workerPid!, 'SIGKILL');
    await h.waitForState(id, (s) => s.type === 'reconnecting' && /worker stopped unexpectedly/i.test(s.reason));
    await h.waitForState(id, 'online');
    const second = h.supervisor.processes(id);
    expect(second.workerPid).not.toBe(first.workerPid);
    await poll('old ffmpeg gone', () => !alive(first.ffmpegPid), 10_000);
    expect(h.supervisor.health().find((c) => c.id === `worker:camera:${id}`)?.metrics.restarts).toBe(1);
    await h.waitForFrames(id, 3);
    await h.dispose();
    expect(alive(second.workerPid)).toBe(false);
    expect(pgrep(`watchroom-cam-${id}`)).toEqual([]);
  });

  it('apply() stops removed cameras and restarts changed ones', async () => {
    h = createCameraHarness();
    const id = uniqueId('apply');
    h.supervisor.apply([cameraConfig(id, clip())]);
    await h.waitForState(id, 'online');
    const before = h.supervisor.processes(id).workerPid;
    h.supervisor.apply([cameraConfig(id, clip(), { analysisFps: 2 })]);
    await h.waitForState(id, (s) => s.type === 'online' && h!.supervisor.processes(id).workerPid !== before);
    h.supervisor.apply([cameraConfig(id, clip(), { analysisFps: 2, enabled: false })]);
    expect(h.supervisor.state(id)).toEqual({ type: 'disabled' });
    await poll('ffmpeg of the disabled camera gone', () => pgrep(`watchroom-cam-${id}`).length === 0, 15_000);
    h.supervisor.apply([]);
    expect(h.supervisor.health()).toEqual([]);
  });
});

// The transport Windows uses (ffmpeg-endpoints.ts), forced here so the same code runs in real workers on Linux.
describe('file cameras over local sockets (the Windows transport)', () => {
  /** The worker's private ffmpeg folders (in the system temp folder) and what is in them. */
  const privateFolders = (workerPid: number) =>
    fs
      .readdirSync(os.tmpdir())
      .filter((n) => n.startsWith(`watchroom-ffmpeg-${workerPid}-`))
      .map((n) => fs.readdirSync(path.join(os.tmpdir(), n)));

  it('frames flow, a killed ffmpeg is restarted, and dispose leaves no process, socket or file behind', async () => {
    h = createCameraHarness({ ffmpegTransport: 'sockets' });
    const id = uniqueId('sock');
    h.supervisor.apply([cameraConfig(id, clip())]);
    await h.waitForState(id, 'online');
    const frames = await h.waitForFrames(id, 3);
    expect(frames.at(-1)).toMatchObject({ cameraId: id, width: 768, height: 432 });
    expect(frames.at(-1)!.jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const first = await poll('worker and ffmpeg pids', () => {
      const p = h!.supervisor.processes(id);
      return p.workerPid && p.ffmpegPid ? p : null;
    }, 30_000);
    const folders = privateFolders(first.workerPid!);
    expect(folders).toHaveLength(1);
    expect(folders[0]!.filter((f) => f.endsWith('.sock'))).toHaveLength(1); // JPEG only: no inference here

    process.kill(first.ffmpegPid!, 'SIGKILL');
    await h.waitForState(id, 'reconnecting');
    await h.waitForState(id, 'online');
    await h.waitForFrames(id, 3);
    const second = h.supervisor.processes(id);
    expect(second.workerPid).toBe(first.workerPid); // only ffmpeg was restarted
    expect(second.ffmpegPid).not.toBe(first.ffmpegPid);
    expect(alive(first.ffmpegPid)).toBe(false);

    await h.dispose();
    expect(alive(first.workerPid)).toBe(false);
    expect(alive(second.ffmpegPid)).toBe(false);
    expect(pgrep(`watchroom-cam-${id}`)).toEqual([]);
    expect(privateFolders(first.workerPid!)).toEqual([]);
  });

  it('bad inputs give the same clear reasons over local sockets', async () => {
    h = createCameraHarness({ ffmpegTransport: 'sockets' });
    const cams = {
      text: cameraConfig(uniqueId('text'), path.join(tmp, 'notes.txt')),
      missing: cameraConfig(uniqueId('missing'), path.join(tmp, 'missing.mp4')),
      closed: cameraConfig(uniqueId('closed'), 'rtsp://127.0.0.1:9/cam'),
    };
    h.supervisor.apply(Object.values(cams));
    const offline = (re: RegExp) => (s: { type: string; reason?: string }) => s.type === 'offline' && re.test(s.reason ?? '');
    await h.waitForState(cams.text.id, offline(/not a playable video/i));
    await h.waitForState(cams.missing.id, offline(/file not found/i));
    await h.waitForState(cams.closed.id, (s) => s.type === 'reconnecting' && /connection refused/i.test(s.reason));
  });
});
