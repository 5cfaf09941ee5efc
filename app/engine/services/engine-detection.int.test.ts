import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../../../test/support/shared-fixtures';
import type { LiveFrame } from '../../shared/domain/detection';
import type { DetectionStatus } from '../../shared/ipc/models.contract';
import { nullLogger } from '../logging/logger';
import { importModel } from '../models/model-import';
import { createNodeWorkerStarter } from '../process/node-worker-starter';
import { WatchroomEngine } from './engine';
import { ADMIN_CTX } from '../auth/as-role.test-support';

// Real SQLite, real camera + inference worker processes, real ffmpeg and ONNX Runtime on the shared clip.
const clip = () => fixtures.video('intel_one_by_one_person.mp4');
const ctx = ADMIN_CTX;
const dirs: string[] = [];
const engines: WatchroomEngine[] = [];

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function tmpDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

function makeEngine(opts: { modelsDir: string; nativeModelsDir?: string }) {
  const engine = new WatchroomEngine({
    dataDir: tmpDir('wr-det-'),
    workerStarter: createNodeWorkerStarter({ logger: nullLogger }),
    logger: nullLogger,
    hostKind: 'headless',
    version: '0.0.0-test',
    validateOutputs: true,
    modelsDir: opts.modelsDir,
    ...(opts.nativeModelsDir !== undefined ? { nativeModelsDir: opts.nativeModelsDir } : {}),
    modelRefreshMs: 500,
  });
  engines.push(engine);
  engine.start();
  const frames: LiveFrame[] = [];
  const statuses: DetectionStatus[] = [];
  engine.onPush((channel, payload) => channel === 'models:status' && statuses.push(payload as DetectionStatus));
  return { engine, frames, statuses };
}

async function invoke<T>(engine: WatchroomEngine, channel: Parameters<WatchroomEngine['dispatch']>[0], input?: unknown): Promise<T> {
  const r = await engine.dispatch(channel, input, ctx);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as T;
}

async function poll<T>(what: string, fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function addCamera(engine: WatchroomEngine, frames: LiveFrame[]): Promise<string> {
  const cam = await invoke<{ id: string }>(engine, 'cameras:add', { name: 'Lobby', source: clip(), analysisFps: 5 });
  engine.subscribeFrames(cam.id, (f) => frames.push(f));
  return cam.id;
}

describe('engine with detection wired (real workers)', () => {
  it('runs the imported YOLOX on a file camera, recovers from a killed inference worker, survives the model file being deleted', async () => {
    const modelsDir = tmpDir('wr-models-');
    await importModel({ file: fixtures.model('yolox_nano.onnx'), modelsDir });
    const { engine, frames, statuses } = makeEngine({ modelsDir });
    const t0 = Date.now();
    const on = await poll('detection on', async () => {
      const s = await invoke<DetectionStatus>(engine, 'models:status');
      return s.state === 'on' ? s : null;
    });
    expect(on).toMatchObject({ state: 'on', modelId: 'yolox_nano' });
    expect(['cpu', 'cuda']).toContain(on.executionProvider);
    expect(on.message).toContain('Licence: unknown (imported by the site)');
    expect(statuses.some((s) => s.state === 'on')).toBe(true);

    await addCamera(engine, frames);
    const withPerson = await poll('a frame with a person', () => frames.find((f) => f.detections?.some((d) => d.cls === 'person')), 30_000);
    const firstDetectionMs = Date.now() - t0;
    expect(withPerson.modelId).toBe('yolox_nano');
    expect(typeof withPerson.inferenceMs).toBe('number');
    expect(withPerson.stats).toMatchObject({ analysisFps: expect.any(Number), droppedFrames: expect.any(Number) });
    console.info(`first person detection ${firstDetectionMs} ms after engine start`);

    const health = await poll('inference health with stats', async () => {
      const h = await invoke<{ components: { id: string; kind: string; metrics: Record<string, unknown> }[] }>(engine, 'health:get');
      const c = h.components.find((x) => x.id === 'worker:inference');
      return c?.metrics.rssBytes ? h : null;
    }, 15_000);
    const worker = health.components.find((c) => c.id === 'worker:inference')!;
    expect(worker).toMatchObject({ kind: 'inference', metrics: { executionProvider: on.executionProvider } });
    expect(health.components.some((c) => c.id.startsWith('inference:camera:') && typeof c.metrics.inferenceMs === 'number')).toBe(true);

    // The inference worker dies: it is restarted (new endpoint) and the camera is re-pointed to it.
    const pid = worker.metrics.pid as number;
    process.kill(pid, 'SIGKILL');
    await poll('restarting', async () => (await invoke<DetectionStatus>(engine, 'models:status')).state === 'off', 10_000);
    await poll('detection on again', async () => (await invoke<DetectionStatus>(engine, 'models:status')).state === 'on', 30_000);
    const afterRestart = frames.length;
    await poll('detections after the restart', () => frames.slice(afterRestart).find((f) => f.detections?.some((d) => d.cls === 'person')), 30_000);
    const h2 = await invoke<{ components: { id: string; metrics: Record<string, unknown> }[] }>(engine, 'health:get');
    expect(h2.components.find((c) => c.id === 'worker:inference')?.metrics).toMatchObject({ restarts: 1 });
    expect(h2.components.find((c) => c.id === 'worker:inference')?.metrics.pid).not.toBe(pid);

    // The model file vanishes: the loaded model keeps running, status and list say what is wrong.
    fs.rmSync(path.join(modelsDir, 'yolox_nano.import.onnx'));
    const hurt = await poll('status reports the file problem', async () => {
      const s = await invoke<DetectionStatus>(engine, 'models:status');
      return /problem/.test(s.message) ? s : null;
    }, 15_000);
    expect(hurt).toMatchObject({ state: 'on', modelId: 'yolox_nano' });
    const list = await invoke<{ id: string; status: string; error?: string }[]>(engine, 'models:list');
    expect(list.find((m) => m.id === 'yolox_nano')).toMatchObject({ status: 'missing', error: expect.stringContaining('not installed') });
    const n = frames.length;
    const later = await poll('detections after the deletion', () => frames.slice(n).find((f) => f.detections !== null), 15_000);
    expect(later.modelId).toBe('yolox_nano');
  });

  it('with no model at all, detection is off (saying how to add one) and video still streams', async () => {
    const { engine, frames } = makeEngine({ modelsDir: tmpDir('wr-empty-'), nativeModelsDir: tmpDir('wr-native-') });
    const off = await poll('status off', async () => {
      const s = await invoke<DetectionStatus>(engine, 'models:status');
      return s.state === 'off' && /no usable model/.test(s.message) ? s : null;
    }, 15_000);
    expect(off.message).toContain('imports a model file');
    expect(off.message).toContain('on the Models page');
    expect(off.message).not.toMatch(/npm run|npx /);
    expect(await invoke(engine, 'models:list')).toEqual([]);
    await addCamera(engine, frames);
    await poll('frames', () => frames.length >= 5, 30_000);
    expect(frames.every((f) => f.detections === null)).toBe(true);
  });

  it('the converted CenterNet runs as the fallback and says how to install a better one', async () => {
    const { engine } = makeEngine({ modelsDir: tmpDir('wr-empty-') });
    const list = await invoke<{ id: string; status: string }[]>(engine, 'models:list');
    // native-models/generated is filled by `node scripts/postinstall.mjs` (npm install runs it)
    expect(list.find((m) => m.id === 'centernet-mbv3-coco')).toMatchObject({ status: 'installed', isDefault: true });
    const s = await poll('fallback on', async () => {
      const st = await invoke<DetectionStatus>(engine, 'models:status');
      return st.state === 'on' ? st : null;
    });
    expect(s.modelId).toBe('centernet-mbv3-coco');
    expect(s.message).toContain('fallback');
    expect(s.message).toContain('on the Models page');
    expect(s.message).not.toMatch(/npm run|npx /);
  });

  it('a camera with a model of its own gets it, beside the default that runs for the others', async () => {
    const modelsDir = tmpDir('wr-models-');
    await importModel({ file: fixtures.model('yolox_nano.onnx'), modelsDir });
    await importModel({ file: fixtures.model('yolox_nano.onnx'), modelsDir, id: 'yolox-night' });
    const { engine } = makeEngine({ modelsDir, nativeModelsDir: tmpDir('wr-native-') });
    await invoke(engine, 'models:set-default', { id: 'yolox_nano' });
    const byCam = new Map<string, Set<string>>();
    const watch = (id: string) => engine.subscribeFrames(id, (f) => f.modelId && (byCam.get(id) ?? byCam.set(id, new Set()).get(id)!).add(f.modelId));
    const a = await invoke<{ id: string }>(engine, 'cameras:add', { name: 'Door', source: clip(), analysisFps: 5 });
    const b = await invoke<{ id: string }>(engine, 'cameras:add', { name: 'Yard', source: clip(), analysisFps: 5, modelId: 'yolox-night' });
    watch(a.id);
    watch(b.id);
    await poll('the yard analysed by its own model', () => byCam.get(b.id)?.has('yolox-night'), 90_000);
    await poll('the door analysed by the default', () => byCam.get(a.id)?.has('yolox_nano'), 30_000);
    expect(byCam.get(a.id)?.has('yolox-night')).toBe(false);
    const s = await invoke<DetectionStatus>(engine, 'models:status');
    expect(s.modelId).toBe('yolox_nano');
    expect(s.message).toMatch(/Also running: .* for Yard/);
    const health = await invoke<{ components: { id: string; detail?: string }[] }>(engine, 'health:get');
    expect(health.components.find((c) => c.id === 'worker:inference')?.detail).toMatch(/also /);
  });
});
