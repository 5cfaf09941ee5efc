import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CameraRuntime, CameraRuntimeConfig } from '../camera/camera-runtime';
import { nullLogger } from '../logging/logger';
import { CameraRepository } from '../storage/camera.repository';
import { openDatabase, type Db } from '../storage/database';
import { plaintextSecretBox } from '../storage/secret-box';
import { CameraService } from './camera.service';
import { PushBus } from './push-bus';

const none = { dispose: () => undefined };
function recordingRuntime() {
  const applied: CameraRuntimeConfig[][] = [];
  const runtime: CameraRuntime = {
    apply: (c) => void applied.push(c),
    state: () => ({ type: 'online', since: 1 }),
    onState: () => none,
    onFrame: () => none,
    onAnalytics: () => none,
    onTracks: () => none,
    setRules() {},
    health: () => [],
    dispose: async () => undefined,
  };
  return { runtime, applied };
}

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('CameraService: tiled detection reaches the camera worker', () => {
  it('a tiled camera`s runtime config carries its tiling beside the inference endpoint; an untiled one none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-camsvc-'));
    dirs.push(dir);
    const db = openDatabase({ dataDir: dir, logger: nullLogger });
    dbs.push(db);
    const { runtime, applied } = recordingRuntime();
    const spec = { modelId: 'm', width: 416, height: 416, colour: 'bgr' as const, letterbox: 'topleft' as const, padValue: 114 };
    const service = new CameraService(new CameraRepository(db, plaintextSecretBox), runtime, new PushBus(nullLogger), nullLogger, () => ({ endpoint: '/tmp/inference.sock', spec }));
    service.start();
    const base = { source: '/v/hall.mp4', rtspTransport: 'tcp' as const, analysisFps: 5, enabled: true, modelId: null };
    const plain = service.add({ ...base, name: 'Door', detectionTiling: null });
    const tiling = { columns: 2, rows: 1, overlap: 0.2, wholeFrame: false };
    const tiled = service.add({ ...base, name: 'Hall', detectionTiling: tiling });
    const config = (id: string) => applied.at(-1)!.find((c) => c.id === id)!;
    expect(config(plain.id).inference).toEqual({ endpoint: '/tmp/inference.sock', spec });
    expect(config(tiled.id).inference).toEqual({ endpoint: '/tmp/inference.sock', spec, tiling });
    service.update(tiled.id, { detectionTiling: null });
    expect(config(tiled.id).inference).toEqual({ endpoint: '/tmp/inference.sock', spec });
    service.stop();
  });
});

describe('CameraService: motion-gated detection per camera', () => {
  it('is on (medium) by default, stored, reaches the camera worker with detection, and is changed by an edit', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-camsvc-gate-'));
    dirs.push(dir);
    const db = openDatabase({ dataDir: dir, logger: nullLogger });
    dbs.push(db);
    const { runtime, applied } = recordingRuntime();
    const spec = { modelId: 'm', width: 416, height: 416, colour: 'bgr' as const, letterbox: 'topleft' as const, padValue: 114 };
    const repo = new CameraRepository(db, plaintextSecretBox);
    const service = new CameraService(repo, runtime, new PushBus(nullLogger), nullLogger, () => ({ endpoint: '/tmp/inference.sock', spec }));
    service.start();
    const cam = service.add({ name: 'Door', source: '/v/hall.mp4', rtspTransport: 'tcp', analysisFps: 5, enabled: true, modelId: null });
    const config = () => applied.at(-1)!.find((c) => c.id === cam.id)!;
    expect(cam.motionGating).toEqual({ enabled: true, sensitivity: 'medium' });
    expect(config().motionGating).toEqual({ enabled: true, sensitivity: 'medium' });
    service.update(cam.id, { motionGating: { enabled: false, sensitivity: 'high' } });
    expect(config().motionGating).toEqual({ enabled: false, sensitivity: 'high' });
    expect(repo.get(cam.id)!.motionGating).toEqual({ enabled: false, sensitivity: 'high' });
    // a rename keeps it
    service.update(cam.id, { name: 'Front door' });
    expect(repo.get(cam.id)!.motionGating).toEqual({ enabled: false, sensitivity: 'high' });
    // a row written before migration 19 (null) reads as the default
    db.prepare('UPDATE cameras SET motion_gating = NULL').run();
    expect(repo.get(cam.id)!.motionGating).toEqual({ enabled: true, sensitivity: 'medium' });
    service.stop();
  });
});
