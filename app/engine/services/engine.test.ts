import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CameraState } from '../../shared/domain/camera';
import type { LiveFrame } from '../../shared/domain/detection';
import type { CameraRuntime, CameraRuntimeConfig } from '../camera/camera-runtime';
import { nullLogger } from '../logging/logger';
import { WatchroomEngine } from './engine';
import { ADMIN_CTX } from '../auth/as-role.test-support';
import { NO_WORKERS } from '../camera/quiet-camera-runtime.test-support';

class FakeRuntime implements CameraRuntime {
  applied: CameraRuntimeConfig[][] = [];
  stateListeners = new Set<(id: string, s: CameraState) => void>();
  frameListeners = new Set<(f: LiveFrame) => void>();
  disposed = false;
  apply(c: CameraRuntimeConfig[]) {
    this.applied.push(c);
  }
  state(): CameraState {
    return { type: 'online', since: 1 };
  }
  onState(l: (id: string, s: CameraState) => void) {
    this.stateListeners.add(l);
    return { dispose: () => void this.stateListeners.delete(l) };
  }
  onFrame(l: (f: LiveFrame) => void) {
    this.frameListeners.add(l);
    return { dispose: () => void this.frameListeners.delete(l) };
  }
  onAnalytics() {
    return { dispose: () => undefined };
  }
  onTracks() {
    return { dispose: () => undefined };
  }
  setRules() {}
  health() {
    return [{ id: 'camera:x', kind: 'camera' as const, name: 'x', level: 'degraded' as const, detail: 'slow', metrics: {} }];
  }
  async dispose() {
    this.disposed = true;
  }
}

const dirs: string[] = [];
const engines: WatchroomEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});
function makeEngine(dataDir?: string) {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wr-engine-'));
  if (!dataDir) dirs.push(dir);
  const runtime = new FakeRuntime();
  const engine = new WatchroomEngine({ dataDir: dir, workerStarter: NO_WORKERS, logger: nullLogger, hostKind: 'headless', version: '0.1.0', cameraRuntimeFactory: () => runtime, validateOutputs: true, healthIntervalMs: 20, nativeModelsDir: path.join(dir, 'no-native-models') });
  engines.push(engine);
  engine.start();
  return { engine, runtime, dir };
}
const ctx = ADMIN_CTX;
const SRC = 'rtsp://admin:s3cret@10.0.0.5/stream1';

describe('WatchroomEngine', () => {
  it('adds, lists, edits and removes cameras without ever returning the password', async () => {
    const { engine, runtime } = makeEngine();
    const pushes: [string, unknown][] = [];
    engine.onPush((e, p) => pushes.push([e, p]));
    const added = await engine.dispatch('cameras:add', { name: 'Door', source: SRC }, ctx);
    expect(added).toMatchObject({ ok: true, value: { name: 'Door', source: 'rtsp://admin:***@10.0.0.5/stream1', sourceKind: 'rtsp', state: { type: 'online' } } });
    if (!added.ok) throw new Error();
    const id = (added.value as { id: string }).id;
    expect(runtime.applied.at(-1)).toEqual([expect.objectContaining({ id, source: SRC, enabled: true })]);

    const upd = await engine.dispatch('cameras:update', { id, patch: { source: 'rtsp://admin:***@10.0.0.5/stream2', name: 'Front door' } }, ctx);
    expect(upd).toMatchObject({ ok: true, value: { name: 'Front door', enabled: true, analysisFps: 10 } });
    expect(runtime.applied.at(-1)![0]!.source).toBe('rtsp://admin:s3cret@10.0.0.5/stream2');

    const dis = await engine.dispatch('cameras:set-enabled', { id, enabled: false }, ctx);
    expect(dis).toMatchObject({ ok: true, value: { enabled: false, state: { type: 'disabled' } } });
    const renamed = await engine.dispatch('cameras:update', { id, patch: { name: 'Gate' } }, ctx);
    expect(renamed).toMatchObject({ ok: true, value: { enabled: false } });

    expect(await engine.dispatch('cameras:add', { name: 'gate', source: '/v/a.mp4' }, ctx)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await engine.dispatch('cameras:add', { name: 'Yard', source: 'rtsp://admin:***@h/s' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    const list = await engine.dispatch('cameras:list', undefined, ctx);
    expect(JSON.stringify(list)).not.toContain('s3cret');
    expect(JSON.stringify(pushes)).not.toContain('s3cret');
    expect(pushes.filter(([e]) => e === 'cameras:changed').length).toBe(4);

    expect(await engine.dispatch('cameras:remove', { id }, ctx)).toEqual({ ok: true, value: { id } });
    expect(await engine.dispatch('cameras:remove', { id }, ctx)).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('keeps a camera`s tiled detection (off by default) and refuses a grid it cannot run', async () => {
    const { engine } = makeEngine();
    const added = await engine.dispatch('cameras:add', { name: 'Hall', source: '/v/hall.mp4' }, ctx);
    expect(added).toMatchObject({ ok: true, value: { detectionTiling: null } });
    if (!added.ok) throw new Error();
    const id = (added.value as { id: string }).id;
    const tiled = await engine.dispatch('cameras:update', { id, patch: { detectionTiling: { columns: 2, rows: 1 } } }, ctx);
    expect(tiled).toMatchObject({ ok: true, value: { detectionTiling: { columns: 2, rows: 1, overlap: 0.2, wholeFrame: false } } });
    const renamed = await engine.dispatch('cameras:update', { id, patch: { name: 'Hall 2' } }, ctx);
    expect(renamed).toMatchObject({ ok: true, value: { detectionTiling: { columns: 2, rows: 1 } } });
    expect(await engine.dispatch('cameras:update', { id, patch: { detectionTiling: { columns: 9, rows: 1 } } }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await engine.dispatch('cameras:update', { id, patch: { detectionTiling: null } }, ctx)).toMatchObject({ ok: true, value: { detectionTiling: null } });
  });

  it('forwards runtime states and frames', async () => {
    const { engine, runtime } = makeEngine();
    const pushes: [string, unknown][] = [];
    engine.onPush((e, p) => pushes.push([e, p]));
    runtime.stateListeners.forEach((l) => l('cam1', { type: 'connecting', since: 1, attempt: 1 }));
    expect(pushes).toContainEqual(['cameras:state', { id: 'cam1', state: { type: 'connecting', since: 1, attempt: 1 } }]);
    const got: LiveFrame[] = [];
    const off = engine.subscribeFrames('cam1', (f) => got.push(f));
    const frame = { cameraId: 'cam1', seq: 1, pts: 0, capturedAt: 1, width: 2, height: 2, detections: null, jpeg: new Uint8Array([1]) };
    runtime.frameListeners.forEach((l) => l(frame));
    runtime.frameListeners.forEach((l) => l({ ...frame, cameraId: 'other' }));
    off();
    runtime.frameListeners.forEach((l) => l(frame));
    expect(got).toEqual([frame]);
  });

  it('removing a camera: the areas keeping per-camera state forget it (the "camera removed" notification)', async () => {
    const { engine, runtime } = makeEngine();
    const added = await engine.dispatch('cameras:add', { name: 'Door', source: SRC, rtspTransport: 'tcp', analysisFps: 5, enabled: false }, ctx);
    if (!added.ok) throw new Error(added.error.message);
    const id = (added.value as { id: string }).id;
    const frame = { cameraId: id, seq: 1, pts: 0, capturedAt: 1, detectedAt: 21, inferenceMs: 12, width: 2, height: 2, detections: [], jpeg: new Uint8Array([1]) };
    runtime.frameListeners.forEach((l) => l(frame));
    expect(engine.frameLatency.snapshot().inference.has(id)).toBe(true);
    expect(await engine.dispatch('cameras:remove', { id }, ctx)).toEqual({ ok: true, value: { id } });
    expect(engine.frameLatency.snapshot().inference.has(id)).toBe(false);
    expect(engine.frameLatency.snapshot().delay.has(id)).toBe(false);
  });

  it('answers app:info before start and "unavailable" for the other channels until then', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-engine-'));
    dirs.push(dir);
    const engine = new WatchroomEngine({ dataDir: dir, workerStarter: NO_WORKERS, logger: nullLogger, hostKind: 'headless', version: '0.1.0', cameraRuntimeFactory: () => new FakeRuntime() });
    engines.push(engine);
    expect(await engine.handlers['app:info'](undefined, ctx)).toMatchObject({ host: 'headless', version: '0.1.0' });
    await expect(async () => engine.handlers['cameras:list'](undefined, ctx)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('reports health and pushes it only while someone listens', async () => {
    const { engine } = makeEngine();
    const h = await engine.dispatch('health:get', undefined, ctx);
    expect(h).toMatchObject({ ok: true, value: { level: 'degraded' } });
    if (!h.ok) throw new Error();
    const ids = (h.value as { components: { id: string; metrics: Record<string, number> }[] }).components.map((c) => c.id);
    expect(ids).toEqual(['database', 'camera:x', 'worker:inference', 'host']);
    const updates: unknown[] = [];
    const sub = engine.onPush((e, p) => e === 'health:update' && updates.push(p));
    await new Promise((r) => setTimeout(r, 120));
    sub.dispose();
    const n = updates.length;
    expect(n).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(updates.length).toBe(n);
  });

  it('answers app:info and models with detection off', async () => {
    const { engine, dir } = makeEngine();
    expect(await engine.dispatch('app:info', undefined, ctx)).toMatchObject({ ok: true, value: { host: 'headless', dataDir: dir, version: '0.1.0' } });
    expect(await engine.dispatch('models:list', undefined, ctx)).toEqual({ ok: true, value: [] });
    expect(await engine.dispatch('models:status', undefined, ctx)).toMatchObject({ ok: true, value: { state: 'off', message: expect.stringContaining('an admin imports a model file (for example YOLOX-Nano) on the Models page') } });
  });

  it('persists cameras across restarts and disposes the runtime', async () => {
    const first = makeEngine();
    await first.engine.dispatch('cameras:add', { name: 'Door', source: SRC }, ctx);
    await first.engine.dispose();
    await first.engine.dispose();
    expect(first.runtime.disposed).toBe(true);
    expect(await first.engine.dispatch('cameras:list', undefined, ctx)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    const second = makeEngine(first.dir);
    expect(second.runtime.applied[0]).toEqual([expect.objectContaining({ name: 'Door', source: SRC })]);
  });
});
