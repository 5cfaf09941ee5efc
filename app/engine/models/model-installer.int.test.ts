import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_UPLOAD_CHUNK_BYTES, type ModelInstallProgress } from '../../shared/ipc/models.contract';
import { fixtures, repoRoot } from '../../../test/support/shared-fixtures';
import type { ModelManifest } from '../../shared/domain/model';
import { sha256File } from './file-hash';
import { MAX_MODEL_UPLOAD_BYTES, ModelInstaller, type UploadKind } from './model-installer';
import { FaceDetector } from '../faces/face-detector';
import { findFaceModels } from '../faces/face-analyzer';
import { readRgbImage } from '../faces/rgb-image';
import { removeImportedFaceDetector } from '../faces/face-detector-import';

/** A local HTTP server serving ../shared/models/ (no network needed), and a fresh models dir per test. */
let server: http.Server;
let base: string;
let yoloxSha: string;
let licenceSha: string;
const dirs: string[] = [];
beforeAll(async () => {
  const root = path.dirname(fixtures.model('yolox_nano.onnx'));
  server = http.createServer((req, res) => {
    const file = path.join(root, path.basename(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Length': fs.statSync(file).size });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  yoloxSha = await sha256File(fixtures.model('yolox_nano.onnx'));
  licenceSha = await sha256File(fixtures.model('LICENSE-yolox'));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function installer() {
  const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-models-install-'));
  dirs.push(modelsDir);
  const pushes: ModelInstallProgress[] = [];
  return { modelsDir, pushes, inst: new ModelInstaller({ modelsDir: () => modelsDir, emit: (p) => pushes.push(p) }) };
}

describe('ModelInstaller: a model fetched from an address with a pinned SHA-256', () => {
  it('downloads with progress, checks it with ONNX Runtime and installs it with its manifest and provenance', async () => {
    const { inst, modelsDir, pushes } = installer();
    const end = await inst.fetchFromUrl(`${base}/yolox_nano.onnx`, yoloxSha.toUpperCase()).done;
    expect(end, end.message ?? '').toMatchObject({ state: 'done', modelId: 'yolox_nano' });
    const size = fs.statSync(fixtures.model('yolox_nano.onnx')).size;
    expect(pushes.some((p) => p.state === 'running' && p.total === size && p.received > 0)).toBe(true);
    expect(pushes.map((p) => p.state)).toContain('checking');
    expect(fs.readdirSync(modelsDir).sort()).toEqual(['yolox_nano.import.onnx', 'yolox_nano.json']);
    const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, 'yolox_nano.json'), 'utf8')) as { sha256: string; decoder: string; provenance: string };
    expect(manifest).toMatchObject({ sha256: yoloxSha, decoder: 'yolox' });
    expect(manifest.provenance).toContain(`downloaded from ${base}/yolox_nano.onnx`);
  });

  it('a wrong SHA-256 is refused in words and nothing is left behind', async () => {
    const { inst, modelsDir } = installer();
    const end = await inst.fetchFromUrl(`${base}/yolox_nano.onnx`, 'ab'.repeat(32)).done;
    expect(end.state).toBe('failed');
    expect(end.message).toMatch(/not the one expected \(its SHA-256 differs\), so it was deleted/);
    expect(fs.readdirSync(modelsDir)).toEqual([]);
  });

  it('a file that is not ONNX (right hash) is refused and nothing is left behind; a missing file too', async () => {
    const { inst, modelsDir } = installer();
    const end = await inst.fetchFromUrl(`${base}/LICENSE-yolox`, licenceSha).done;
    expect(end.state).toBe('failed');
    expect(end.message).toMatch(/not an ONNX model ONNX Runtime can open/);
    const missing = await inst.fetchFromUrl(`${base}/nothing.onnx`, licenceSha).done;
    expect(missing).toMatchObject({ state: 'failed' });
    expect(missing.message).toMatch(/HTTP 404/);
    expect(fs.readdirSync(modelsDir)).toEqual([]);
  });

  it('one install at a time', async () => {
    const { inst } = installer();
    const first = inst.fetchFromUrl(`${base}/yolox_nano.onnx`, yoloxSha);
    expect(() => inst.fetchFromUrl(`${base}/yolox_nano.onnx`, yoloxSha)).toThrow(/being fetched already/);
    await first.done;
  });
});

/** Sends a file the way the Models page does: begin, chunks of MODEL_UPLOAD_CHUNK_BYTES, finish. */
async function upload(inst: ModelInstaller, bytes: Buffer, fileName: string, o: { decoder?: UploadKind; licence?: string; finish?: boolean } = {}) {
  const { uploadId } = inst.beginUpload({ fileName, size: bytes.length, decoder: o.decoder, licence: o.licence, by: 'admin' });
  for (let off = 0; off < bytes.length; off += MODEL_UPLOAD_CHUNK_BYTES) inst.uploadChunk(uploadId, off, bytes.subarray(off, off + MODEL_UPLOAD_CHUNK_BYTES));
  return { uploadId, finished: o.finish === false ? null : inst.finishUpload(uploadId) };
}

describe('ModelInstaller: a model file an admin imports from the app (uploaded through the host in pieces)', () => {
  it('streams it to a scratch file with progress, checks it with ONNX Runtime and installs it with licence and provenance', async () => {
    const { inst, modelsDir, pushes } = installer();
    const bytes = fs.readFileSync(fixtures.model('yolox_nano.onnx'));
    const { finished } = await upload(inst, bytes, 'YOLOX Nano.onnx', { licence: 'Apache-2.0 (Megvii YOLOX)' });
    const end = await finished!.done;
    expect(end, end.message ?? '').toMatchObject({ state: 'done', modelId: 'yolox-nano' });
    const running = pushes.filter((p) => p.state === 'running');
    expect(running.length).toBeGreaterThan(1);
    expect(running.at(-1)).toMatchObject({ received: bytes.length, total: bytes.length });
    expect(pushes.map((p) => p.state)).toContain('checking');
    expect(fs.readdirSync(modelsDir).sort()).toEqual(['yolox-nano.import.onnx', 'yolox-nano.json']);
    const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, 'yolox-nano.json'), 'utf8')) as { sha256: string; decoder: string; provenance: string; licence: string };
    expect(manifest).toMatchObject({ sha256: yoloxSha, decoder: 'yolox', licence: 'Apache-2.0 (Megvii YOLOX)' });
    expect(manifest.provenance).toMatch(new RegExp(`^uploaded from the file YOLOX Nano\\.onnx by admin on \\d{4}-\\d{2}-\\d{2} \\(SHA-256 ${yoloxSha}\\)$`));
  });

  it('the publisher’s file of a shipped manifest (its pinned SHA-256) fills that manifest, with the manifest’s licence and provenance', async () => {
    const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-models-install-'));
    dirs.push(modelsDir);
    // The shipped YOLOX-Nano manifest, pinned to the fixture's bytes (standing in for the publisher's release asset).
    const shipped = { ...(JSON.parse(fs.readFileSync(path.join(repoRoot, 'native-models', 'yolox-nano.json'), 'utf8')) as ModelManifest), sha256: yoloxSha };
    const inst = new ModelInstaller({ modelsDir: () => modelsDir, emit: () => undefined, knownManifests: async () => [shipped] });
    const end = await (await upload(inst, fs.readFileSync(fixtures.model('yolox_nano.onnx')), 'downloaded-copy.onnx', { licence: 'ignored' })).finished!.done;
    expect(end, end.message ?? '').toMatchObject({ state: 'done', modelId: 'yolox-nano' });
    expect(fs.readdirSync(modelsDir)).toEqual([shipped.file]);
    expect(await sha256File(path.join(modelsDir, shipped.file))).toBe(yoloxSha);
  });

  it('a file that is not ONNX and a truncated model are refused in words; nothing is left behind', async () => {
    const { inst, modelsDir } = installer();
    const text = await (await upload(inst, fs.readFileSync(fixtures.model('LICENSE-yolox')), 'licence.onnx')).finished!.done;
    expect(text.state).toBe('failed');
    expect(text.message).toMatch(/not an ONNX model ONNX Runtime can open/);
    const whole = fs.readFileSync(fixtures.model('yolox_nano.onnx'));
    const truncated = await (await upload(inst, whole.subarray(0, Math.floor(whole.length / 2)), 'yolox_nano.onnx')).finished!.done;
    expect(truncated.state).toBe('failed');
    expect(truncated.message).toMatch(/not an ONNX model ONNX Runtime can open/);
    expect(fs.readdirSync(modelsDir)).toEqual([]);
  });

  it('an upload that stops short, goes out of step, is too large or is cancelled leaves nothing behind', async () => {
    const { inst, modelsDir, pushes } = installer();
    const whole = fs.readFileSync(fixtures.model('yolox_nano.onnx'));
    const short = inst.beginUpload({ fileName: 'a.onnx', size: whole.length });
    inst.uploadChunk(short.uploadId, 0, whole.subarray(0, 1000));
    expect(() => inst.finishUpload(short.uploadId)).toThrow(/Only 0\.0 of .* MB arrived/);
    const step = inst.beginUpload({ fileName: 'b.onnx', size: whole.length });
    expect(() => inst.uploadChunk(step.uploadId, 5, whole.subarray(0, 10))).toThrow(/out of step/);
    expect(() => inst.beginUpload({ fileName: 'c.onnx', size: MAX_MODEL_UPLOAD_BYTES + 1 })).toThrow(/may be at most 512\.0 MB/);
    const cancelled = inst.beginUpload({ fileName: 'd.onnx', size: whole.length });
    expect(() => inst.beginUpload({ fileName: 'e.onnx', size: 10 })).toThrow(/being installed already/);
    inst.uploadChunk(cancelled.uploadId, 0, whole.subarray(0, 10));
    inst.cancelUpload(cancelled.uploadId);
    expect(pushes.at(-1)).toMatchObject({ jobId: cancelled.uploadId, state: 'failed', message: expect.stringMatching(/cancelled; nothing was installed/) });
    expect(() => inst.uploadChunk(cancelled.uploadId, 10, whole.subarray(10, 20))).toThrow(/no longer running/);
    expect(fs.readdirSync(modelsDir)).toEqual([]);
  });
});

describe('ModelInstaller: a face detector an admin imports (YuNet, UltraFace)', () => {
  const yunet = () => fs.readFileSync(fixtures.faces('yunet_s_640_640.onnx'));
  const shippedDirs = [path.join(repoRoot, 'native-models'), path.join(repoRoot, 'native-models', 'generated')];

  it('YuNet: checked, installed as the face detector with licence and provenance; it wins over the shipped one until removed', async () => {
    const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-models-install-'));
    dirs.push(modelsDir);
    let reopened = 0;
    let personModels = 0;
    const inst = new ModelInstaller({
      modelsDir: () => modelsDir,
      emit: () => undefined,
      afterInstall: async () => void personModels++,
      afterFaceDetectorInstall: async () => void reopened++,
    });
    const end = await (await upload(inst, yunet(), 'face_detection_yunet.onnx', { decoder: 'face-yunet', licence: 'Apache-2.0 (libfacedetection.train)' })).finished!.done;
    expect(end, end.message ?? '').toMatchObject({ state: 'done', modelId: 'face-detector' });
    expect([reopened, personModels]).toEqual([1, 0]);
    expect(fs.readdirSync(modelsDir).sort()).toEqual(['face-detector.import.onnx', 'face-detector.json']);
    const sha = await sha256File(fixtures.faces('yunet_s_640_640.onnx'));
    const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, 'face-detector.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ role: 'face-detector', family: 'yunet', sha256: sha, licence: 'Apache-2.0 (libfacedetection.train)', file: 'face-detector.import.onnx' });
    expect(manifest.provenance).toMatch(new RegExp(`^uploaded from the file face_detection_yunet\\.onnx by admin on \\d{4}-\\d{2}-\\d{2} \\(SHA-256 ${sha}\\)$`));

    // The face step's model lookup picks the imported detector, and it finds the astronaut's face.
    const models = findFaceModels([...shippedDirs, modelsDir]);
    expect(models.detector).toBe(path.join(modelsDir, 'face-detector.json'));
    const detector = await FaceDetector.create(models.detector);
    expect(detector.family).toBe('yunet');
    expect(await detector.detect(readRgbImage(fixtures.image('skimage_astronaut.png')))).toHaveLength(1);
    await detector.dispose();

    // Removed: the shipped BlazeFace again.
    expect(removeImportedFaceDetector(modelsDir)).toBe(true);
    expect(fs.readdirSync(modelsDir)).toEqual([]);
    expect(findFaceModels([...shippedDirs, modelsDir]).detector).toBe(path.join(repoRoot, 'native-models', 'generated', 'face-detector.json'));
  });

  it('UltraFace is installed with its own family', async () => {
    const { inst, modelsDir } = installer();
    const end = await (await upload(inst, fs.readFileSync(fixtures.faces('ultraface_version-RFB-320.onnx')), 'version-RFB-320.onnx', { decoder: 'face-ultraface' })).finished!.done;
    expect(end, end.message ?? '').toMatchObject({ state: 'done', modelId: 'face-detector' });
    const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, 'face-detector.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ family: 'ultraface', licence: 'unknown (imported by the site)', input: { shape: [1, 3, 240, 320], colour: 'rgb' } });
  });

  it('a person detector chosen as a face detector, a text file and a truncated YuNet are refused in words; the imported detector stays as it was', async () => {
    const { inst, modelsDir } = installer();
    await (await upload(inst, yunet(), 'yunet.onnx', { decoder: 'face-yunet' })).finished!.done;
    const before = fs.readFileSync(path.join(modelsDir, 'face-detector.json'), 'utf8');
    const person = await (await upload(inst, fs.readFileSync(fixtures.model('yolox_nano.onnx')), 'yolox_nano.onnx', { decoder: 'face-yunet' })).finished!.done;
    expect(person.state).toBe('failed');
    expect(person.message).toMatch(/^The file is not the kind of face detector chosen, so it was not installed; the face detector in use stays as it was\. \(It is not a YuNet face detector: the output cls_8 is missing \(its outputs: output\[1,3549,85\]\)\)$/);
    const asUltraFace = await (await upload(inst, yunet(), 'yunet.onnx', { decoder: 'face-ultraface' })).finished!.done;
    expect(asUltraFace.message).toMatch(/not an UltraFace face detector: the outputs scores and boxes are missing/);
    const text = await (await upload(inst, fs.readFileSync(fixtures.model('LICENSE-yolox')), 'licence.onnx', { decoder: 'face-yunet' })).finished!.done;
    expect(text.message).toMatch(/not an ONNX model ONNX Runtime can open/);
    const whole = yunet();
    const truncated = await (await upload(inst, whole.subarray(0, Math.floor(whole.length / 2)), 'yunet.onnx', { decoder: 'face-yunet' })).finished!.done;
    expect(truncated.message).toMatch(/not an ONNX model ONNX Runtime can open/);
    expect(fs.readdirSync(modelsDir).sort()).toEqual(['face-detector.import.onnx', 'face-detector.json']);
    expect(fs.readFileSync(path.join(modelsDir, 'face-detector.json'), 'utf8')).toBe(before);
  });
});
