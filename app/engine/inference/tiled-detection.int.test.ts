import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../../../test/support/shared-fixtures';
import type { DetectionTiling } from '../../shared/domain/detection-tiling';
import { tileRects } from '../../shared/domain/detection-tiling';
import type { FrameHeader } from '../../shared/domain/detection';
import { CameraSession } from '../camera/camera-session';
import { defaultCameraWorkerOptions } from '../camera/camera-worker-protocol';
import { buildFfmpegArgs, letterboxFilter } from '../camera/ffmpeg-args';
import { resolveFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import { resolveModel } from '../models/model-resolve';
import { ModelRegistry } from '../models/model-registry';
import type { ModelInputSpec } from './inference-api';
import { createInferenceClient } from './inference-client';
import { newInferenceEndpoint } from './inference-endpoint';
import { modelInputSpec } from './model-input-filter';
import { iou } from './postprocess';
import { probeSource } from '../ffmpeg/source-probe';

const TWO_BY_ONE: DetectionTiling = { columns: 2, rows: 1, overlap: 0.2, wholeFrame: false };

/** The first raw (model) frame of THE camera worker's ffmpeg command for `source`, with or without tiles. */
async function cameraRawFrame(source: string, spec: ModelInputSpec, tiling: DetectionTiling | null): Promise<Buffer> {
  const plan = buildFfmpegArgs({ source, kind: 'file', rtspTransport: 'tcp', analysisFps: 5, inference: spec, tiling, realtime: false });
  const child = spawn(resolveFfmpeg().path, plan.args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
  (child.stdio[3] as Readable).resume();
  const chunks: Buffer[] = [];
  let have = 0;
  const frame = await new Promise<Buffer>((resolve, reject) => {
    (child.stdio[4] as Readable).on('data', (d: Buffer) => {
      chunks.push(d);
      have += d.length;
      if (have >= plan.rawFrameBytes!) resolve(Buffer.concat(chunks).subarray(0, plan.rawFrameBytes!));
    });
    child.once('close', () => reject(new Error(`ffmpeg ended after ${have} bytes`)));
  });
  child.kill('SIGKILL');
  return frame;
}

/** One model input made by cropping the first frame to `rect` by hand (explicit pixels), then the same letterbox. */
function croppedInput(source: string, spec: ModelInputSpec, rect: { x: number; y: number; width: number; height: number }): Buffer {
  const r = spawnSync(resolveFfmpeg().path, ['-v', 'error', '-i', source, '-frames:v', '1', '-vf', `crop=${rect.width}:${rect.height}:${rect.x}:${rect.y}:exact=1,${letterboxFilter(spec)}`, '-f', 'rawvideo', 'pipe:1'], { maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stdout;
}

describe('tiled detection: the camera graph crops exactly the tiles the boxes are mapped back from', () => {
  const spec: ModelInputSpec = { modelId: 'm', width: 416, height: 416, colour: 'bgr', letterbox: 'topleft', padValue: 114 };
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-tiles-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['2x1 on an odd-sized frame', 1001, 563, TWO_BY_ONE],
    ['3x2 and the whole frame', 1280, 720, { columns: 3, rows: 2, overlap: 0.25, wholeFrame: true }],
  ] as const)('%s', async (_name, w, h, tiling) => {
    const clip = path.join(dir, `src-${w}x${h}.mkv`);
    const made = spawnSync(resolveFfmpeg().path, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=5', '-t', '1', '-vf', `scale=${w}:${h}`, '-pix_fmt', 'yuv444p', '-c:v', 'ffv1', '-y', clip]);
    expect(made.status).toBe(0);
    expect(probeSource(clip)).toMatchObject({ width: w, height: h });
    const stacked = await cameraRawFrame(clip, spec, tiling);
    const rects = tileRects(w, h, tiling);
    const per = 416 * 416 * 3;
    expect(stacked.length).toBe(per * rects.length);
    rects.forEach((rect, k) => {
      const mine = stacked.subarray(k * per, (k + 1) * per);
      expect(Buffer.compare(mine, croppedInput(clip, spec, rect)), `tile ${k} ${JSON.stringify(rect)}`).toBe(0);
    });
  });
});

describe('tiled detection with real ONNX Runtime through the inference worker', () => {
  let proc: ChildProcess;
  let endpoint: string;
  let spec: ModelInputSpec;

  beforeAll(async () => {
    endpoint = newInferenceEndpoint();
    proc = fork(path.join(repoRoot, 'dist/node/inference-worker.cjs'), ['--endpoint', endpoint, '--model', fixtures.model('yolox_nano.onnx'), '--sessions', '1'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no ready')), 30_000);
      proc.on('message', (m: { type?: string }) => m.type === 'ready' && (clearTimeout(t), resolve()));
    });
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-tiles-reg-'));
    spec = modelInputSpec((await resolveModel(fixtures.model('yolox_nano.onnx'), new ModelRegistry({ dirs: [d], modelsDir: d }))).manifest);
  });
  afterAll(async () => {
    if (proc.exitCode === null) {
      const gone = new Promise((r) => proc.once('exit', r));
      proc.send({ type: 'shutdown' });
      await gone;
    }
  });

  async function people(source: string, tiling: DetectionTiling | null) {
    const probe = probeSource(source);
    const data = await cameraRawFrame(source, spec, tiling);
    const client = createInferenceClient(endpoint);
    try {
      const r = await client.detect({
        cameraId: tiling ? 'tiled' : 'untiled',
        seq: 1,
        pts: 0,
        capturedAt: Date.now(),
        srcWidth: probe.width,
        srcHeight: probe.height,
        data,
        spec,
        ...(tiling ? { tiles: tileRects(probe.width, probe.height, tiling) } : {}),
      });
      if (r.status !== 'ok') throw new Error(`inference answered ${r.status}: ${JSON.stringify(r)}`);
      return r.detections.filter((d) => d.cls === 'person');
    } finally {
      client.close();
    }
  }

  it.each([
    ['a wide hall of small people (1280x720)', 'supervision_walking_crowd.mp4'],
    ['a 1080p mall entrance', 'mot15_adl_rundle_6.mp4'],
  ])('a tiled camera finds at least as many people as an untiled one: %s', async (_name, clip) => {
    const source = fixtures.video(clip);
    const untiled = await people(source, null);
    const tiled = await people(source, TWO_BY_ONE);
    console.log(`${clip}: ${untiled.length} people untiled, ${tiled.length} with 2x1 tiles`);
    expect(untiled.length).toBeGreaterThan(0);
    expect(tiled.length).toBeGreaterThanOrEqual(untiled.length);
    for (const d of tiled) {
      expect(d.box.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(d.box[2] > d.box[0] && d.box[3] > d.box[1]).toBe(true);
    }
    // no two boxes of one person are left over from the two tiles (the model's own NMS rule holds over the frame)
    for (let i = 0; i < tiled.length; i++) for (let j = i + 1; j < tiled.length; j++) expect(iou(tiled[i]!.box, tiled[j]!.box)).toBeLessThanOrEqual(0.65);
    // nearly every person found untiled is found tiled as well (same place)
    const kept = untiled.filter((u) => tiled.some((t) => iou(t.box, u.box) >= 0.5)).length;
    expect(kept / untiled.length).toBeGreaterThanOrEqual(0.8);
  });

  it('a tiled camera (CameraSession: its ffmpeg, frame pipeline and the inference worker) finds at least as many people in the same frame', async () => {
    const firstFrame = async (tiling: DetectionTiling | null) => {
      const frames: FrameHeader[] = [];
      const session = new CameraSession(
        { id: tiling ? 'tiled' : 'untiled', name: 'hall', source: fixtures.video('supervision_walking_crowd.mp4'), rtspTransport: 'tcp', analysisFps: 5, enabled: true, inference: { endpoint, spec, ...(tiling ? { tiling } : {}) } },
        defaultCameraWorkerOptions,
        { ffmpegPath: () => resolveFfmpeg().path, createInferenceClient: (ep) => createInferenceClient(ep), onState() {}, onFrame: (h) => frames.push(h), onStats() {}, onFfmpeg() {}, log() {} },
      );
      try {
        session.start();
        const end = Date.now() + 60_000;
        while (!frames.some((f) => f.seq === 0 && f.detections)) {
          if (Date.now() > end) throw new Error('no detected first frame');
          await new Promise((r) => setTimeout(r, 50));
        }
        return frames.find((f) => f.seq === 0)!;
      } finally {
        await session.dispose();
      }
    };
    const untiled = await firstFrame(null);
    const tiled = await firstFrame(TWO_BY_ONE);
    const persons = (h: FrameHeader) => h.detections!.filter((d) => d.cls === 'person').length;
    expect(tiled).toMatchObject({ width: 1280, height: 720 });
    expect(persons(untiled)).toBeGreaterThan(0);
    expect(persons(tiled)).toBeGreaterThanOrEqual(persons(untiled));
  });

  it('a frame whose bytes do not match its tiles is refused with a reason, not run', async () => {
    const source = fixtures.video('mot15_tud_campus.mp4');
    const probe = probeSource(source);
    const data = await cameraRawFrame(source, spec, null);
    const client = createInferenceClient(endpoint, { frameRing: false });
    try {
      const r = await client.detect({ cameraId: 'bad', seq: 7, pts: 0, capturedAt: Date.now(), srcWidth: probe.width, srcHeight: probe.height, data, spec, tiles: tileRects(probe.width, probe.height, TWO_BY_ONE) });
      expect(r).toMatchObject({ status: 'error', seq: 7 });
      const outside = await client.detect({ cameraId: 'bad', seq: 8, pts: 0, capturedAt: Date.now(), srcWidth: probe.width, srcHeight: probe.height, data, spec, tiles: [{ x: 0, y: 0, width: probe.width + 1, height: probe.height }] });
      expect(outside).toMatchObject({ status: 'error', seq: 8, message: expect.stringMatching(/tiles/) });
    } finally {
      client.close();
    }
  });
});
