import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelManifest } from '../../shared/domain/model';
import { ModelManifestSchema } from '../../shared/domain/model';
import { nullLogger } from '../logging/logger';
import type { ModelEntry, ModelRegistry } from '../models/model-registry';
import type { WorkerExit, WorkerHandle, WorkerStarter, WorkerStartOptions } from '../process/worker-starter';
import { InferenceHost } from './inference-host';
import { providerList } from './inference-run-dir';

function manifest(id: string, decoder: ModelManifest['decoder'], rank: number): ModelManifest {
  return ModelManifestSchema.parse({ id, name: id, file: `${id}.onnx`, sha256: 'a'.repeat(64), licence: 'Apache-2.0', input: { name: 'images', shape: [1, 3, 416, 416], layout: 'nchw', colour: 'bgr', letterbox: 'topleft' }, decoder, classes: ['person'], rank });
}
const entry = (m: ModelManifest): ModelEntry => ({ manifest: m, manifestPath: `/m/${m.id}.json`, filePath: `/m/${m.file}`, status: 'installed', actualSha256: m.sha256 });

class FakeWorker implements WorkerHandle {
  readonly name = 'inference';
  readonly pid = 4242;
  sent: unknown[] = [];
  private msgL = new Set<(m: unknown) => void>();
  private exitL = new Set<(e: WorkerExit) => void>();
  constructor(readonly options: WorkerStartOptions) {}
  send(m: unknown) {
    this.sent.push(m);
  }
  onMessage(l: (m: unknown) => void) {
    this.msgL.add(l);
    return { dispose: () => void this.msgL.delete(l) };
  }
  onExit(l: (e: WorkerExit) => void) {
    this.exitL.add(l);
    return { dispose: () => void this.exitL.delete(l) };
  }
  emit(m: unknown) {
    this.msgL.forEach((l) => l(m));
  }
  crash() {
    this.exitL.forEach((l) => l({ code: 1, signal: null, crashed: true }));
  }
  async stop(): Promise<WorkerExit> {
    return { code: 0, signal: null, crashed: false };
  }
  kill() {}
  arg(name: string) {
    const a = this.options.args ?? [];
    return a[a.indexOf(name) + 1];
  }
}

const yolox = manifest('yolox', 'yolox', 100);
const centernet = manifest('centernet', 'centernet', -10);
let host: InferenceHost | null = null;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-ihost-'));
afterEach(async () => {
  vi.useRealTimers();
  await host?.dispose();
  host = null;
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function setup(entries: ModelEntry[], wantedModels?: () => (string | null)[]) {
  const workers: FakeWorker[] = [];
  const starter: WorkerStarter = { start: (o) => (workers.push(new FakeWorker(o)), workers.at(-1)!) };
  const registry = { modelsDir: '/m', list: async () => entries, best: async () => entries[0] ?? null } as unknown as ModelRegistry;
  host = new InferenceHost({ starter, registry, logger: nullLogger, dataDir, runtimeSettings: () => ({ executionProvider: 'cpu', threads: 2 }), refreshMs: 0, ...(wantedModels ? { wantedModels } : {}) });
  return { host, workers };
}
const flush = () => new Promise((r) => setImmediate(r));

describe('InferenceHost', () => {
  it('starts the best model, restarts a crashed worker with backoff and a fresh endpoint', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { host, workers } = setup([entry(yolox), entry(centernet)]);
    host.start();
    await vi.waitFor(() => expect(workers).toHaveLength(1));
    const w = workers[0]!;
    expect(w.arg('--model')).toBe('/m/yolox.json');
    expect(w.arg('--ep')).toBe('cpu');
    expect(w.arg('--threads')).toBe('2');
    expect(host.state.type).toBe('starting');
    w.emit({ type: 'ready', endpoint: w.arg('--endpoint'), modelId: 'yolox', executionProvider: 'cpu', error: null });
    expect(host.state).toMatchObject({ type: 'running', endpoint: w.arg('--endpoint') });
    expect(host.status()).toMatchObject({ state: 'on', modelId: 'yolox', executionProvider: 'cpu', fallback: false });
    expect(host.inference()?.spec).toMatchObject({ modelId: 'yolox', width: 416, height: 416 });

    w.crash();
    expect(host.state).toMatchObject({ type: 'restarting', attempt: 1 });
    expect(host.status().state).toBe('off');
    await vi.advanceTimersByTimeAsync(1300);
    await vi.waitFor(() => expect(workers).toHaveLength(2));
    expect(workers[1]!.arg('--endpoint')).not.toBe(w.arg('--endpoint'));
    expect(host.health()[0]).toMatchObject({ kind: 'inference', metrics: { restarts: 1 } });
  });

  it('falls back to the next model when the first does not load, and says the fallback is running', async () => {
    const { host, workers } = setup([entry(yolox), entry(centernet)]);
    host.start();
    await vi.waitFor(() => expect(workers).toHaveLength(1));
    const w = workers[0]!;
    w.emit({ type: 'model', modelId: null, executionProvider: null, error: 'corrupt' });
    w.emit({ type: 'ready', endpoint: 'x', modelId: null, executionProvider: null, error: 'corrupt' });
    expect(w.sent).toContainEqual({ type: 'reload', model: '/m/centernet.json' });
    w.emit({ type: 'model', modelId: 'centernet', executionProvider: 'cpu', error: null });
    expect(host.status()).toMatchObject({ state: 'on', modelId: 'centernet', fallback: true, message: expect.stringContaining('imports a model file (for example YOLOX-Nano) on the Models page') });
  });

  it('a failed reload keeps the running model and reports the error', async () => {
    const entries = [entry(centernet)];
    const { host, workers } = setup(entries);
    host.start();
    await vi.waitFor(() => expect(workers).toHaveLength(1));
    const w = workers[0]!;
    w.emit({ type: 'ready', endpoint: 'x', modelId: 'centernet', executionProvider: 'cpu', error: null });
    entries.unshift(entry(yolox));
    await host.reload();
    expect(w.sent).toContainEqual({ type: 'reload', model: '/m/yolox.json' });
    w.emit({ type: 'model', modelId: 'centernet', executionProvider: 'cpu', error: 'shape mismatch' });
    await flush();
    expect(host.status()).toMatchObject({ state: 'on', modelId: 'centernet', message: expect.stringContaining('could not be loaded (shape mismatch)') });
  });

  it('with no installed model detection is off and says how to add one', async () => {
    const { host, workers } = setup([]);
    host.start();
    await vi.waitFor(() => expect(host.status().message).toContain('imports a model file (for example YOLOX-Nano) on the Models page'));
    expect(workers).toHaveLength(0);
    expect(host.status().state).toBe('off');
  });

  it('maps the provider setting with CPU always last', () => {
    expect(providerList('auto', 'linux')).toBe('cuda,cpu');
    expect(providerList('auto', 'win32')).toBe('dml,cpu');
    expect(providerList('auto', 'darwin')).toBe('coreml,cpu');
    expect(providerList('cpu')).toBe('cpu');
    expect(providerList('dml')).toBe('dml,cpu');
  });
});

describe('InferenceHost per-camera models', () => {
  it('loads the models cameras ask for beside the default and gives each camera its own spec once loaded', async () => {
    const other = { ...manifest('other', 'ultralytics', 50), input: { ...yolox.input, shape: [1, 3, 640, 640] } };
    const wishes: (string | null)[] = [null, 'other', 'missing'];
    const entries = [entry(yolox), entry(other)];
    const { host, workers } = setup(entries, () => wishes);
    const changes = vi.fn();
    host.onChange(changes);
    host.start();
    await vi.waitFor(() => expect(workers).toHaveLength(1));
    const w = workers[0]!;
    w.emit({ type: 'ready', endpoint: 'e', modelId: 'yolox', executionProvider: 'cpu', error: null });
    // before the extra is loaded the camera gets the default's spec (and asking schedules the load)
    expect(host.inference('other')?.spec.modelId).toBe('yolox');
    await vi.waitFor(() => expect(w.sent).toContainEqual({ type: 'extras', models: [{ id: 'other', model: '/m/other.json' }] }));
    expect(host.extraModels().failed.get('missing')).toMatch(/no such model/);
    const key = host.routingKey();
    w.emit({ type: 'extras', loaded: [{ modelId: 'other', executionProvider: 'cpu' }], failed: [] });
    expect(host.routingKey()).not.toBe(key);
    expect(host.inference('other')?.spec).toMatchObject({ modelId: 'other', width: 640 });
    expect(host.inference(null)?.spec.modelId).toBe('yolox');
    expect(host.extraModels().failed.get('missing')).toMatch(/no such model/);
    // its file disappears while running: the loaded session is kept (still asked for), with a note
    entries[1] = { ...entries[1]!, status: 'missing', error: 'model file other.onnx is not installed' };
    w.sent.length = 0;
    await host.reload();
    expect(w.sent).toContainEqual({ type: 'extras', models: [{ id: 'other', model: '/m/other.json' }] });
    expect(host.inference('other')?.spec.modelId).toBe('other');
    expect(host.extraModels().problems.get('other')).toMatch(/keeps running from memory/);
    // a crash forgets the extras: cameras fall back to the default until the new worker loads them again
    w.crash();
    expect(host.inference('other')).toBeUndefined();
    expect(host.extraModels().loaded).toEqual([]);
  });
});
