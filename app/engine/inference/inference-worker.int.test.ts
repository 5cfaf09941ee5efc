import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot, sharedPath } from '../../../test/support/shared-fixtures';
import { resolveModel } from '../models/model-resolve';
import { ModelRegistry } from '../models/model-registry';
import { Detector } from './detector';
import { DetectorHolder } from './detector-holder';
import type { FrameForInference } from './inference-api';
import { encodeMessage, WireDecoder } from './frame-wire';
import { createInferenceClient } from './inference-client';
import { newInferenceEndpoint } from './inference-endpoint';
import { modelInputSpec } from './model-input-filter';
import { probeSource } from '../ffmpeg/source-probe';
import { ModelInputStream } from './model-input-stream';

const tmpRegistry = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-inf-'));
  return new ModelRegistry({ dirs: [d], modelsDir: d });
};

async function firstFrame(source: string, manifest: Parameters<typeof modelInputSpec>[0]) {
  const probe = probeSource(source);
  const reader = new ModelInputStream({ source, spec: modelInputSpec(manifest), probe, maxFrames: 1 });
  for await (const f of reader.frames()) {
    await reader.stop();
    return { probe, data: f.data };
  }
  throw new Error('no frame');
}

describe('inference worker (real ORT over a local socket)', () => {
  let proc: ChildProcess;
  let endpoint: string;
  const messages: { type?: string; [k: string]: unknown }[] = [];
  let frame: Omit<FrameForInference, 'seq' | 'cameraId'>;

  beforeAll(async () => {
    endpoint = newInferenceEndpoint();
    proc = fork(path.join(repoRoot, 'dist/node/inference-worker.cjs'), ['--endpoint', endpoint, '--model', fixtures.model('yolox_nano.onnx'), '--ep', 'cuda,cpu', '--sessions', '2', '--stats-ms', '300'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    proc.on('message', (m) => messages.push(m as { type?: string }));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no ready')), 30_000);
      proc.on('message', (m: { type?: string }) => m.type === 'ready' && (clearTimeout(t), resolve()));
    });
    const m = await resolveModel(fixtures.model('yolox_nano.onnx'), tmpRegistry());
    const f = await firstFrame(fixtures.image('darknet_person.jpg'), m.manifest);
    frame = { pts: 0, capturedAt: Date.now(), srcWidth: f.probe.width, srcHeight: f.probe.height, data: f.data, spec: modelInputSpec(m.manifest) };
  });
  afterAll(async () => {
    if (proc.exitCode === null) {
      const gone = new Promise((r) => proc.once('exit', r));
      proc.send({ type: 'shutdown' });
      await gone;
    }
  });

  it('reports ready with its endpoint, the active provider (CUDA falls back to CPU here) and 2 parallel sessions', () => {
    const ready = messages.find((m) => m.type === 'ready')!;
    expect(ready).toMatchObject({ endpoint, modelId: 'yolox_nano', sessions: 2 });
    expect(['cpu', 'cuda']).toContain(ready.executionProvider);
  });

  it('detects over the socket with boxes in source coordinates', async () => {
    const client = createInferenceClient(endpoint);
    const r = await client.detect({ ...frame, cameraId: 'cam-a', seq: 1 });
    client.close();
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(r.detections.map((d) => d.cls)).toEqual(['person']);
    expect(r.detections[0]!.score).toBeGreaterThan(0.8);
    expect(r.modelId).toBe('yolox_nano');
  });

  it('frames through the frame ring (/dev/shm) and inline on the socket get the same answer; no ring file is left', async () => {
    const ringFiles = () => (fs.existsSync('/dev/shm') ? fs.readdirSync('/dev/shm').filter((f) => f.startsWith(`watchroom-frames-${process.pid}-`)) : []);
    const viaRing = createInferenceClient(endpoint);
    const inline = createInferenceClient(endpoint, { frameRing: false });
    const a = [];
    for (let seq = 1; seq <= 3; seq++) a.push(await viaRing.detect({ ...frame, cameraId: 'cam-ring', seq }));
    const b = await inline.detect({ ...frame, cameraId: 'cam-inline', seq: 1 });
    expect(ringFiles()).toEqual([]); // the worker opened the ring and removed its name
    viaRing.close();
    inline.close();
    expect(b.status).toBe('ok');
    for (const r of a) {
      expect(r.status).toBe('ok');
      if (r.status === 'ok' && b.status === 'ok') expect(r.detections).toEqual(b.detections);
    }
    expect(ringFiles()).toEqual([]);
  });

  it('a frame ring reference the worker cannot use is answered with an error, and the connection goes on', async () => {
    const sock = net.connect(endpoint);
    const decoder = new WireDecoder();
    const replies: Record<string, unknown>[] = [];
    sock.on('data', (c: Buffer) => replies.push(...decoder.push(c).map((m) => m.header)));
    const { data, ...rest } = frame;
    const send = (id: number, extra: Record<string, unknown>, body?: Uint8Array) => {
      for (const p of encodeMessage({ type: 'detect', id, ...rest, cameraId: 'cam-bad-ring', seq: id, ...extra }, body)) sock.write(p);
    };
    send(1, { ring: { path: '/etc/passwd', slot: 0, bytes: data.length } });
    send(2, { ring: { path: '/dev/shm/watchroom-frames-gone', slot: 0, bytes: data.length } });
    send(3, {}, data);
    await expect.poll(() => replies.length, { timeout: 10_000 }).toBe(3);
    sock.destroy();
    const byId = Object.fromEntries(replies.map((r) => [r.id as number, r.reply as { status: string; message?: string }]));
    expect(byId[1]).toMatchObject({ status: 'error', message: expect.stringMatching(/frame ring unavailable: not a frame ring/) });
    expect(byId[2]).toMatchObject({ status: 'error', message: expect.stringMatching(/frame ring unavailable: .*ENOENT/) });
    expect(byId[3]!.status).toBe('ok');
  });

  it('one slot per camera: every frame is answered ok or dropped, the newest runs, stats add up', async () => {
    // ORT runs on the worker's main thread, so whether a frame is replaced depends on arrival timing; the
    // deterministic latest-wins cases are in fair-scheduler.test.ts. Here: accounting over the real socket.
    const client = createInferenceClient(endpoint);
    const seqs = [1, 2, 3, 4, 5, 6, 7, 8];
    const rs = await Promise.all(seqs.map((seq) => client.detect({ ...frame, cameraId: 'cam-b', seq })));
    const other = await client.detect({ ...frame, cameraId: 'cam-c', seq: 1 });
    client.close();
    expect(rs.every((r) => r.status === 'ok' || r.status === 'dropped')).toBe(true);
    expect(rs.map((r) => r.seq)).toEqual(seqs);
    expect(rs[0]!.status).toBe('ok');
    expect(rs[7]!.status).toBe('ok');
    expect(other.status).toBe('ok');
    const ok = rs.filter((r) => r.status === 'ok').length;
    const dropped = rs.length - ok;
    await new Promise((r) => setTimeout(r, 700));
    const stats = messages.filter((m) => m.type === 'stats').pop() as { cameras: Record<string, { processed: number; dropped: number; avgInferenceMs: number }>; rssBytes: number; executionProvider: string };
    expect(stats.cameras['cam-b']).toMatchObject({ processed: ok, dropped });
    expect(stats.cameras['cam-b']!.avgInferenceMs).toBeGreaterThan(0);
    expect(stats.rssBytes).toBeGreaterThan(0);
  });

  it('serves a second model beside the primary: each frame runs on the model it was prepared for', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-extra-'));
    fs.copyFileSync(fixtures.model('yolox_nano.onnx'), path.join(dir, 'b.onnx'));
    const base = await resolveModel(fixtures.model('yolox_nano.onnx'), tmpRegistry());
    const manifest = { ...base.manifest, id: 'yolox-b', name: 'YOLOX copy', file: 'b.onnx' };
    fs.writeFileSync(path.join(dir, 'yolox-b.json'), JSON.stringify(manifest));
    const answer = (n: number) =>
      new Promise<{ loaded: { modelId: string }[]; failed: { modelId: string; error: string }[] }>((resolve) => {
        let seen = 0;
        const on = (m: { type?: string }) => {
          if (m.type === 'extras' && ++seen === n) {
            proc.off('message', on);
            resolve(m as never);
          }
        };
        proc.on('message', on);
      });
    let got = answer(1);
    proc.send({ type: 'extras', models: [{ id: 'yolox-b', model: path.join(dir, 'yolox-b.json') }, { id: 'gone', model: path.join(dir, 'gone.json') }] });
    const r1 = await got;
    expect(r1.loaded.map((l) => l.modelId)).toEqual(['yolox-b']);
    expect(r1.failed.map((f) => f.modelId)).toEqual(['gone']);
    const client = createInferenceClient(endpoint);
    const [a, b] = await Promise.all([client.detect({ ...frame, cameraId: 'cam-x', seq: 1 }), client.detect({ ...frame, cameraId: 'cam-y', seq: 1, spec: { ...frame.spec, modelId: 'yolox-b' } })]);
    client.close();
    expect(a.status === 'ok' && a.modelId).toBe('yolox_nano');
    expect(b.status === 'ok' && b.modelId).toBe('yolox-b');
    expect(b.status === 'ok' && b.detections.map((d) => d.cls)).toEqual(['person']);
    got = answer(1);
    proc.send({ type: 'extras', models: [] });
    expect((await got).loaded).toEqual([]);
  });

  it('answers a frame prepared for another size with an error', async () => {
    const client = createInferenceClient(endpoint);
    const r = await client.detect({ ...frame, cameraId: 'cam-d', seq: 1, data: new Uint8Array(640 * 640 * 3), spec: { ...frame.spec, width: 640, height: 640 } });
    client.close();
    expect(r.status).toBe('error');
  });
});

describe('model file trouble while running', () => {
  it('a deleted model file: reload fails clearly and the detector it had keeps working', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-vanish-'));
    const file = path.join(dir, 'm.onnx');
    fs.copyFileSync(fixtures.model('yolox_nano.onnx'), file);
    const m = await resolveModel(file, tmpRegistry());
    const holder = new DetectorHolder();
    expect((await holder.load({ manifest: m.manifest, model: file })).ok).toBe(true);
    fs.rmSync(file);
    const again = await holder.load({ manifest: m.manifest, model: file });
    expect(again.ok).toBe(false);
    expect(holder.lastError).toMatch(/cannot load the model/);
    const f = await firstFrame(fixtures.image('darknet_person.jpg'), m.manifest);
    const [r] = await holder.current!.detectBatch([{ data: f.data, srcWidth: f.probe.width, srcHeight: f.probe.height }]);
    expect(r!.detections.some((d) => d.cls === 'person')).toBe(true);
    // the registry reports it as missing with a clear message
    const manifestPath = path.join(dir, 'm.json');
    const entry = await new ModelRegistry({ dirs: [dir], modelsDir: dir }).verify({ ...m.manifest, file: 'm.onnx' }, manifestPath);
    expect(entry.status).toBe('missing');
    expect(entry.error).toMatch(/not installed/);
    await holder.dispose();
  });

  it('a corrupt replacement keeps the running model', async () => {
    const m = await resolveModel(fixtures.model('yolox_nano.onnx'), tmpRegistry());
    const holder = new DetectorHolder();
    await holder.load({ manifest: m.manifest, model: m.file });
    const r = await holder.load({ manifest: m.manifest, model: new Uint8Array(4096).fill(7) });
    expect(r.ok).toBe(false);
    expect(holder.current?.manifest.id).toBe(m.manifest.id);
    await holder.dispose();
  });

  it('gives the same detections run after run (its input tensor memory is reused between runs)', async () => {
    const m = await resolveModel(fixtures.model('yolox_nano.onnx'), tmpRegistry());
    const f = await firstFrame(fixtures.image('darknet_person.jpg'), m.manifest);
    const d = await Detector.create({ manifest: m.manifest, model: m.file });
    const runs = [];
    for (let i = 0; i < 4; i++) runs.push((await d.detect({ data: f.data, srcWidth: f.probe.width, srcHeight: f.probe.height })).detections);
    await d.dispose();
    expect(runs[0]!.map((x) => x.cls)).toContain('person');
    for (const r of runs.slice(1)) expect(r).toEqual(runs[0]);
  });

  it('falls back to CPU when the preferred provider cannot load', async () => {
    const m = await resolveModel(fixtures.model('yolox_nano.onnx'), tmpRegistry());
    const d = await Detector.create({ manifest: m.manifest, model: m.file, executionProviders: ['cuda', 'dml', 'coreml'] });
    expect(['cpu', 'cuda']).toContain(d.provider);
    expect(d.maxBatch).toBe(1);
    await d.dispose();
  });

  it('refuses a model whose I/O does not fit its manifest', async () => {
    const m = await resolveModel(fixtures.model('yolox_nano.onnx'), tmpRegistry());
    const ultraface = sharedPath('fixtures', 'faces', 'ultraface_version-slim-320.onnx');
    await expect(Detector.create({ manifest: { ...m.manifest, input: { ...m.manifest.input, name: 'input' } }, model: ultraface })).rejects.toThrow(/does not fit/);
  });
});
