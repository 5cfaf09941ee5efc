import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../../../test/support/shared-fixtures';
import type { CameraState } from '../../shared/domain/camera';
import type { FrameHeader } from '../../shared/domain/detection';
import { PrivacyMaskSchema } from '../../shared/domain/privacy-mask';
import { resolveFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import type { FrameForInference, InferenceClient, ModelInputSpec } from '../inference/inference-api';
import { CameraSession } from './camera-session';
import { defaultCameraWorkerOptions, type CameraWorkerStats } from './camera-worker-protocol';
import { benchmarksWholeDecode } from './decode-timing';
import { letterboxInfo } from './ffmpeg-args';
import type { FfmpegTransportKind } from './ffmpeg-endpoints';
import { PRIVATE_DIR_PREFIX } from './ffmpeg-transport';

// CameraSession in-process with real ffmpeg and a recording inference client: checks that the raw frames are
// letterboxed exactly as letterboxInfo() says, and that detections come back on the JPEG of the same seq. Run over
// both transports: inherited pipes (Linux/macOS) and local sockets (Windows' transport, forced here).
let session: CameraSession | null = null;
afterEach(async () => {
  await session?.dispose();
  session = null;
});

async function until(what: string, fn: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** This process's private ffmpeg folders (local sockets transport) and what is in them. */
function privateFolders(): Record<string, string[]> {
  const mine = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`${PRIVATE_DIR_PREFIX}${process.pid}-`));
  return Object.fromEntries(mine.map((n) => [n, fs.readdirSync(path.join(os.tmpdir(), n)).sort()]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each<FfmpegTransportKind>(['pipes', 'sockets'])('CameraSession with inference (ffmpeg transport: %s)', (ffmpegTransport) => {
  it.each(['center', 'topleft'] as const)('letterboxes raw frames (%s) and pairs detections with the same seq', async (letterbox) => {
    const spec: ModelInputSpec = { modelId: 'fake', width: 320, height: 320, colour: 'bgr', letterbox, padValue: 114 };
    const sent: FrameForInference[] = [];
    const client: InferenceClient = {
      detect: async (frame) => {
        sent.push(frame);
        await new Promise((r) => setTimeout(r, 30));
        return { status: 'ok', seq: frame.seq, detections: [{ cls: 'marker', classId: frame.seq, score: 1, box: [0, 0, 1, 1] }], inferenceMs: 30, modelId: 'fake', detectedAt: Date.now() };
      },
      close() {},
    };
    const frames: Array<{ h: FrameHeader; jpeg: Buffer }> = [];
    const states: CameraState[] = [];
    session = new CameraSession(
      { id: 'sess', name: 'sess', source: fixtures.video('intel_one_by_one_person.mp4'), rtspTransport: 'tcp', analysisFps: 5, enabled: true, inference: { endpoint: 'fake', spec } },
      { ...defaultCameraWorkerOptions, ffmpegTransport },
      {
        ffmpegPath: () => resolveFfmpeg().path,
        createInferenceClient: () => client,
        onState: (s) => states.push(s),
        onFrame: (h, jpeg) => frames.push({ h, jpeg }),
        onStats() {},
        onFfmpeg() {},
        log() {},
      },
    );
    session.start();
    await until('5 detected frames', () => frames.length >= 5);
    expect(states.map((s) => s.type)).toEqual(['connecting', 'online']);
    for (const { h, jpeg } of frames) {
      expect(h.detections).toHaveLength(1);
      expect(h.detections![0]!.classId).toBe(h.seq); // the reply belongs to this very frame
      expect(jpeg[0]).toBe(0xff);
      expect(h).toMatchObject({ width: 768, height: 432, modelId: 'fake', inferenceMs: 30 });
    }
    const f = sent[0]!;
    expect(f).toMatchObject({ srcWidth: 768, srcHeight: 432, cameraId: 'sess' });
    expect(f.data.length).toBe(320 * 320 * 3);
    const lb = letterboxInfo(768, 432, spec);
    const px = (x: number, y: number) => [...f.data.subarray((y * 320 + x) * 3, (y * 320 + x) * 3 + 3)];
    const rowIsPad = (y: number) => Array.from({ length: 320 }, (_, x) => px(x, y)).every((p) => p.every((v) => v === 114));
    // Padding rows are exactly the pad value; the rows next to the content edge are not all padding.
    if (lb.padY > 0) expect(rowIsPad(lb.padY - 1)).toBe(true);
    expect(rowIsPad(lb.padY)).toBe(false);
    expect(rowIsPad(lb.padY + lb.contentHeight - 1)).toBe(false);
    expect(rowIsPad(lb.padY + lb.contentHeight)).toBe(true);
    expect(rowIsPad(319)).toBe(true);
  });

  it('a killed ffmpeg is restarted (fresh endpoints), detections keep coming, dispose leaves nothing behind', async () => {
    const spec: ModelInputSpec = { modelId: 'fake', width: 320, height: 320, colour: 'bgr', letterbox: 'center', padValue: 114 };
    const client: InferenceClient = {
      detect: async (frame) => ({ status: 'ok', seq: frame.seq, detections: [{ cls: 'marker', classId: frame.seq, score: 1, box: [0, 0, 1, 1] }], inferenceMs: 1, modelId: 'fake', detectedAt: Date.now() }),
      close() {},
    };
    const frames: FrameHeader[] = [];
    const states: CameraState[] = [];
    const pids: Array<number | null> = [];
    session = new CameraSession(
      { id: 'restart', name: 'restart', source: fixtures.video('intel_one_by_one_person.mp4'), rtspTransport: 'tcp', analysisFps: 5, enabled: true, inference: { endpoint: 'fake', spec } },
      { ...defaultCameraWorkerOptions, backoffInitialMs: 200, ffmpegTransport },
      {
        ffmpegPath: () => resolveFfmpeg().path,
        createInferenceClient: () => client,
        onState: (s) => states.push(s),
        onFrame: (h) => frames.push(h),
        onStats() {},
        onFfmpeg: (pid) => pids.push(pid),
        log() {},
      },
    );
    session.start();
    await until('2 detected frames', () => frames.filter((f) => f.detections?.length).length >= 2);
    const folders = privateFolders();
    if (ffmpegTransport === 'sockets') {
      // One private folder for this camera, holding this run's two listening sockets (JPEG and raw).
      expect(Object.values(folders)).toHaveLength(1);
      expect(Object.values(folders)[0]!.filter((f) => f.endsWith('.sock'))).toHaveLength(2);
    } else {
      expect(folders).toEqual({});
    }
    const first = pids.find((p): p is number => p !== null)!;
    process.kill(first, 'SIGKILL');
    await until('back online after the kill', () => states.filter((s) => s.type === 'online').length >= 2);
    expect(states.map((s) => s.type)).toEqual(['connecting', 'online', 'reconnecting', 'connecting', 'online']);
    const from = frames.length;
    await until('detected frames from the new ffmpeg', () => frames.slice(from).filter((f) => f.detections?.length).length >= 2);
    for (const f of frames.slice(from)) if (f.detections) expect(f.detections[0]!.classId).toBe(f.seq);
    if (ffmpegTransport === 'sockets') {
      // The dead run's sockets are gone; the new run listens on new ones.
      const now = Object.values(privateFolders())[0]!.filter((f) => f.endsWith('.sock'));
      expect(now).toHaveLength(2);
      expect(now.some((f) => Object.values(folders)[0]!.includes(f))).toBe(false);
    }
    const second = pids.filter((p): p is number => p !== null).at(-1)!;
    expect(second).not.toBe(first);
    await session.dispose();
    session = null;
    expect(alive(second)).toBe(false);
    expect(privateFolders()).toEqual({});
  });

  it('times the decoder with ffmpeg -benchmark_all (a privacy mask as a second input) and reports it in stats', async () => {
    const version = resolveFfmpeg().version;
    const stats: CameraWorkerStats[] = [];
    const frames: FrameHeader[] = [];
    session = new CameraSession(
      {
        id: 'timed',
        name: 'timed',
        source: fixtures.video('intel_one_by_one_person.mp4'),
        rtspTransport: 'tcp',
        analysisFps: 5,
        enabled: true,
        masks: [PrivacyMaskSchema.parse({ id: 'left', points: [[0, 0], [0.25, 0], [0.25, 1], [0, 1]], style: 'solid' })],
      },
      { ...defaultCameraWorkerOptions, statsIntervalMs: 250, ffmpegTransport },
      {
        ffmpegPath: () => resolveFfmpeg().path,
        ffmpegVersion: () => version,
        createInferenceClient: () => {
          throw new Error('no inference here');
        },
        onState() {},
        onFrame: (h) => frames.push(h),
        onStats: (s) => stats.push(s),
        onFfmpeg() {},
        log() {},
      },
    );
    session.start();
    await until('3 frames', () => frames.length >= 3);
    if (!benchmarksWholeDecode(version)) {
      // An ffmpeg whose benchmark does not time the whole decode: not measured, never a made-up number.
      await until('a stats report', () => stats.length >= 2);
      expect(stats.every((s) => s.decode === undefined)).toBe(true);
      return;
    }
    await until('decode timing in stats', () => stats.some((s) => s.decode));
    const d = stats.find((s) => s.decode)!.decode!;
    expect(d.frames).toBeGreaterThan(0);
    expect(Number.isFinite(d.meanMs)).toBe(true);
    expect(d.meanMs).toBeGreaterThan(0);
    expect(d.p95Ms).toBeGreaterThan(0);
  });
});
