import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../../../test/support/shared-fixtures';
import { probeSource } from '../ffmpeg/source-probe';
import { createInferenceClient } from '../inference/inference-client';
import { newInferenceEndpoint } from '../inference/inference-endpoint';
import { InferenceHost } from '../inference/inference-host';
import type { ModelInputSpec } from '../inference/inference-api';
import { ModelInputStream } from '../inference/model-input-stream';
import { nullLogger } from '../logging/logger';
import { importModel } from '../models/model-import';
import { ModelRegistry } from '../models/model-registry';
import { createNodeWorkerStarter } from '../process/node-worker-starter';
import { FaceAnalyzer } from './face-analyzer';
import { headRegion, type FaceLookReply } from './face-look';

/**
 * The live face step's looks through the real shared inference worker (dist/node/inference-worker.cjs, started by
 * the InferenceHost as the engine does): the same faces as the in-process FaceAnalyzer, the face models' plain
 * message when they are missing while person detection goes on, and a worker restart.
 */
const models = { detector: path.join(repoRoot, 'native-models/generated/face-detector.json'), embedding: path.join(repoRoot, 'native-models/generated/face-embedding.json') };
const person: [number, number, number, number] = [0.25, 0.38, 0.75, 1];
const dirs: string[] = [];
const cosine = (a: Float32Array, b: Float32Array) => {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
};
const tmpDir = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
};

/** The photo as the live step gets a frame: JPEG bytes, size, and the head region of a person box in it (0..1). */
function frameOf(file: string) {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const d = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
  const px = headRegion(person, d.width, d.height);
  const region: [number, number, number, number] = [px[0] / d.width, px[1] / d.height, px[2] / d.width, px[3] / d.height];
  return { bytes, image: { data: d.data, width: d.width, height: d.height }, px, region };
}

async function startHost() {
  const modelsDir = tmpDir('wr-facelook-models-');
  await importModel({ file: fixtures.model('yolox_nano.onnx'), modelsDir });
  const host = new InferenceHost({
    starter: createNodeWorkerStarter({ logger: nullLogger }),
    registry: new ModelRegistry({ dirs: [modelsDir], modelsDir }),
    logger: nullLogger,
    dataDir: tmpDir('wr-facelook-data-'),
    runtimeSettings: () => ({ executionProvider: 'cpu', threads: 1 }),
    refreshMs: 0,
    statsMs: 300,
  });
  host.start();
  await until('detection running', () => host.state.type === 'running');
  return host;
}

async function until(what: string, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One person-detection frame (a fixture photo prepared for the running model), for the worker's socket. */
async function detectionFrame(spec: ModelInputSpec) {
  const source = fixtures.image('darknet_person.jpg');
  const probe = probeSource(source);
  const reader = new ModelInputStream({ source, spec, probe, maxFrames: 1 });
  for await (const f of reader.frames()) {
    await reader.stop();
    return { pts: 0, capturedAt: Date.now(), srcWidth: probe.width, srcHeight: probe.height, data: f.data, spec };
  }
  throw new Error('no frame');
}

afterAll(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('face looks in the inference worker', () => {
  let host: InferenceHost;
  let analyzer: FaceAnalyzer;
  beforeAll(async () => {
    host = await startHost();
    analyzer = await FaceAnalyzer.create(models);
  }, 120_000);
  afterAll(async () => {
    await host?.dispose();
    await analyzer?.dispose();
  });

  it('a look through the worker finds the same face, quality and embedding as the in-process analyzer', async () => {
    const probe = frameOf(fixtures.faces('identities', 'frl_004_male_white', '2.jpg'));
    const enrolled = await analyzer.enrolmentFace(frameOf(fixtures.faces('identities', 'frl_004_male_white', '1.jpg')).image, 'enrolment');
    const local = (await analyzer.analyze(probe.image, { regions: [probe.px] }))[0]!;
    const r = await host.faceLook({ cameraId: 'cam-a', models, jpeg: probe.bytes, regions: [probe.region] });
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    const remote = r.faces[0]!;
    expect(r.cropSize).toBe(analyzer.cropSize);
    remote.box.forEach((v, i) => expect(v).toBeCloseTo(local.box[i]!, 3));
    expect(remote.score).toBeCloseTo(local.score, 5);
    expect(remote.quality.score).toBeCloseTo(local.quality.score, 5);
    expect(remote.rejected).toBe(local.rejected);
    expect(remote.embedding).toBeInstanceOf(Float32Array);
    expect(remote.crop?.length).toBe(analyzer.cropSize * analyzer.cropSize * 3);
    expect(cosine(remote.embedding!, local.embedding!)).toBeGreaterThan(0.9999);
    const simLocal = cosine(local.embedding!, enrolled.embedding);
    const simRemote = cosine(remote.embedding!, enrolled.embedding);
    console.info(`similarity to the enrolled photo: in-process ${simLocal.toFixed(4)}, through the worker ${simRemote.toFixed(4)}`);
    expect(simRemote).toBeCloseTo(simLocal, 4);
  });

  it('a malformed look is refused with a message; the worker goes on', async () => {
    const r = await host.faceLook({ cameraId: 'cam-a', models, jpeg: new Uint8Array(0), regions: [] });
    expect(r).toMatchObject({ status: 'error', message: expect.stringMatching(/^malformed face look/) });
  });

  it('face models missing: the look says so plainly, and person-detection frames are still answered', async () => {
    const missing = { detector: path.join(tmpDir('wr-no-face-'), 'face-detector.json'), embedding: models.embedding };
    const probe = frameOf(fixtures.faces('identities', 'frl_004_male_white', '2.jpg'));
    const client = createInferenceClient(host.inference()!.endpoint);
    const frame = await detectionFrame(host.inference()!.spec);
    const [look, det] = await Promise.all([host.faceLook({ cameraId: 'cam-b', models: missing, jpeg: probe.bytes, regions: [probe.region] }), client.detect({ ...frame, cameraId: 'cam-b', seq: 1 })]);
    expect(look).toEqual({ status: 'error', message: expect.stringMatching(/^the face-detector model is not installed \(.*face-detector\.json is missing/) });
    expect(det.status).toBe('ok');
    const again = await client.detect({ ...frame, cameraId: 'cam-b', seq: 2 });
    client.close();
    expect(again.status === 'ok' && again.detections.some((d) => d.cls === 'person')).toBe(true);
    // and with the models back, looks work again in the same worker
    expect((await host.faceLook({ cameraId: 'cam-b', models, jpeg: probe.bytes, regions: [probe.region] })).status).toBe('ok');
  });

  it('a worker restart: the look in flight ends skipped, later looks work', async () => {
    const probe = frameOf(fixtures.faces('identities', 'frl_004_male_white', '2.jpg'));
    const pid = host.health().map((c) => c.metrics?.pid).find((p) => p !== undefined)!;
    const inFlight = host.faceLook({ cameraId: 'cam-c', models, jpeg: probe.bytes, regions: [probe.region, probe.region, probe.region] });
    process.kill(pid, 'SIGKILL');
    const r: FaceLookReply = await inFlight;
    expect(r).toEqual({ status: 'skipped', reason: 'the inference worker stopped' });
    expect(await host.faceLook({ cameraId: 'cam-c', models, jpeg: probe.bytes, regions: [probe.region] })).toMatchObject({ status: 'skipped', reason: 'person detection is not running' });
    await until('the worker restarted', () => host.state.type === 'running');
    const later = await host.faceLook({ cameraId: 'cam-c', models, jpeg: probe.bytes, regions: [probe.region] });
    expect(later.status === 'ok' && later.faces[0]?.embedding).toBeTruthy();
  }, 120_000);
});

describe('the inference worker with its face thread', () => {
  it('stops cleanly when asked (the face sessions released, exit code 0) right after a look', async () => {
    const proc = fork(path.join(repoRoot, 'dist/node/inference-worker.cjs'), ['--endpoint', newInferenceEndpoint(), '--model', fixtures.model('yolox_nano.onnx'), '--sessions', '1'], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    const answers: { type?: string; reply?: FaceLookReply }[] = [];
    proc.on('message', (m: { type?: string; reply?: FaceLookReply }) => answers.push(m));
    await until('ready', () => answers.some((m) => m.type === 'ready'));
    const probe = frameOf(fixtures.faces('identities', 'frl_004_male_white', '2.jpg'));
    proc.send({ type: 'face-look', id: 1, look: { cameraId: 'cam-a', models, jpeg: probe.bytes, regions: [probe.region] } });
    await until('the look answered', () => answers.some((m) => m.type === 'face-look'));
    expect(answers.find((m) => m.type === 'face-look')?.reply?.status).toBe('ok');
    proc.send({ type: 'shutdown' });
    expect(await exited).toBe(0);
  }, 60_000);
});
