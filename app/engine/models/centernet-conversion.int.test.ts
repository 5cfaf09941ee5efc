import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelManifestSchema, type ModelManifest } from '../../shared/domain/model';
import { fixtures, repoRoot } from '../../../test/support/shared-fixtures';
import { ortWarnings } from '../../../test/support/ort-shape-check';
import { maxAbsDiff, nhwcToNchw, runOrt, runTfjs } from '../../../test/support/tfjs-graph-builder';
import { decodeCenternet, decodeCenternetPixels } from '../inference/decoders/centernet';
import type { LetterboxInfo, TensorView } from '../inference/inference-api';
import { convertNpmModel, findPackageDir } from './convert-npm-model.service';
import { HUMAN_CENTERNET } from './npm-model-sources';
import type { TfGraphModelJson } from './tfjs-convert/tfjs-model';

/**
 * End to end on the shipped model: the full original graph (post-processing tail included) runs in TF.js,
 * the converted and cut graph runs in ONNX Runtime followed by our decoder, on a real photo.
 */

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'centernet-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

interface Prepared { nhwc: Float32Array; letterbox: LetterboxInfo }

/** Top-left letterbox with ffmpeg, as the manifest asks (RGB, pad 0, 0..255). */
function letterboxed(image: string, size: number, m: ModelManifest): Prepared {
  const [sw = 0, sh = 0] = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', image]).toString().trim().split(',').map(Number);
  const r = Math.min(size / sw, size / sh);
  const cw = Math.floor(sw * r);
  const ch = Math.floor(sh * r);
  const pad = m.input.padValue.toString(16).padStart(2, '0').repeat(3);
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', image, '-vf', `scale=${cw}:${ch},pad=${size}:${size}:0:0:color=0x${pad}`, '-f', 'rawvideo', '-pix_fmt', m.input.colour === 'rgb' ? 'rgb24' : 'bgr24', '-'], { maxBuffer: 1 << 26 });
  expect(raw.length).toBe(size * size * 3);
  return { nhwc: Float32Array.from(raw), letterbox: { srcWidth: sw, srcHeight: sh, inputWidth: size, inputHeight: size, contentWidth: cw, contentHeight: ch, padX: 0, padY: 0 } };
}

function loadManifest(file: string): { manifest: ModelManifest; onnx: Uint8Array } {
  const manifest = ModelManifestSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  return { manifest, onnx: new Uint8Array(fs.readFileSync(path.join(path.dirname(file), manifest.file))) };
}

describe('CenterNet from @vladmandic/human, converted', () => {
  let manifestPath = '';
  beforeAll(() => {
    const r = convertNpmModel(HUMAN_CENTERNET, { root: repoRoot, outDir: out });
    if (r.status !== 'converted') throw new Error(`conversion: ${JSON.stringify(r)}`);
    manifestPath = r.manifestPath;
  });

  it.each(['darknet_person.jpg', 'darknet_kite.jpg'])('%s: matches the original TF.js graph to float rounding, and the decoder equals the graph\'s own tail', async (image) => {
    const { manifest, onnx } = loadManifest(manifestPath);
    expect(manifest.input.shape).toEqual([1, 3, 512, 512]);
    const { nhwc } = letterboxed(fixtures.image(image), 512, manifest);
    const dir = path.join(findPackageDir(repoRoot, HUMAN_CENTERNET.packageName) as string, 'models');
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'centernet.json'), 'utf8')) as TfGraphModelJson;
    const [kp, wh, det] = await runTfjs(json, new Uint8Array(fs.readFileSync(path.join(dir, 'centernet.bin'))), nhwc, [1, 512, 512, 3], ['tower_0/keypoints', 'tower_0/wh', 'tower_0/detections']);
    const got = await runOrt(onnx, manifest.input.name, nhwcToNchw(nhwc, 1, 512, 512, 3), manifest.input.shape as number[]);
    expect(got.keypoints?.dims).toEqual([1, 80, 128, 128]);
    expect(got.wh?.dims).toEqual([1, 4, 128, 128]);
    const heat = maxAbsDiff(nhwcToNchw(kp as Float32Array, 1, 128, 128, 80), got.keypoints?.data ?? []);
    const sizes = maxAbsDiff(nhwcToNchw(wh as Float32Array, 1, 128, 128, 4), got.wh?.data ?? []);
    console.log(`[centernet] ${image}: max |diff| heatmap ${heat.diff.toExponential(2)}, box sizes ${sizes.diff.toExponential(2)} (largest size ${sizes.scale.toFixed(1)})`);
    expect(heat.diff).toBeLessThan(1e-5);
    expect(sizes.diff / sizes.scale).toBeLessThan(1e-4);

    // the decoder on TF.js's own maps reproduces tower_0/detections exactly (rows with a score)
    const tfOutputs: Record<string, TensorView> = { keypoints: { data: kp as Float32Array, dims: [1, 128, 128, 80] }, wh: { data: wh as Float32Array, dims: [1, 128, 128, 4] } };
    const unit: LetterboxInfo = { srcWidth: 512, srcHeight: 512, inputWidth: 512, inputHeight: 512, contentWidth: 512, contentHeight: 512, padX: 0, padY: 0 };
    const nhwcManifest = { ...manifest, decoderOptions: { ...manifest.decoderOptions, layout: 'nhwc' } };
    const mine = decodeCenternetPixels({ outputs: tfOutputs, manifest: nhwcManifest, letterbox: unit }, 0);
    const rows = Array.from({ length: 100 }, (_, i) => Array.from((det as Float32Array).subarray(i * 6, i * 6 + 6))).filter((r) => (r[4] ?? 0) > 0);
    expect(mine.map((p) => [...p.px, p.score, p.classId])).toEqual(rows);
    expect(rows.length).toBeGreaterThan(5);

    // and on ORT's maps it finds the same detections, to float rounding
    const fromOrt = decodeCenternetPixels({ outputs: got, manifest, letterbox: unit }, 0.05);
    const strong = rows.filter((r) => (r[4] ?? 0) >= 0.05);
    expect(fromOrt.map((p) => p.classId)).toEqual(strong.map((r) => r[5]));
    fromOrt.forEach((p, i) => {
      expect(Math.abs(p.score - (strong[i]?.[4] ?? 0))).toBeLessThan(1e-5);
      p.px.forEach((v, k) => expect(Math.abs(v - (strong[i]?.[k] ?? 0))).toBeLessThan(0.02));
    });
  }, 120_000);

  it('finds the person and the dog on darknet_person.jpg, boxes in normalised source coordinates', async () => {
    const { manifest, onnx } = loadManifest(manifestPath);
    const { nhwc, letterbox } = letterboxed(fixtures.image('darknet_person.jpg'), 512, manifest);
    const outputs = await runOrt(onnx, manifest.input.name, nhwcToNchw(nhwc, 1, 512, 512, 3), manifest.input.shape as number[]);
    const found = decodeCenternet({ outputs, manifest, letterbox }, manifest.thresholds.score);
    const best = (cls: string) => found.filter((c) => manifest.classes[c.classId] === cls).sort((a, b) => b.score - a.score)[0];
    const person = best('person');
    const dog = best('dog');
    console.log(`[centernet] darknet_person.jpg @512: ${found.slice(0, 6).map((c) => `${manifest.classes[c.classId]} ${c.score.toFixed(3)}`).join(', ')}`);
    expect(person?.score).toBeGreaterThan(0.5);
    expect(dog?.score).toBeGreaterThan(0.4);
    // the person stands left of centre, the dog sits at the bottom left
    const [px1 = 0, py1 = 0, px2 = 0, py2 = 0] = person?.box ?? [];
    expect(px1).toBeGreaterThan(0.2); expect(px2).toBeLessThan(0.5); expect(py1).toBeLessThan(0.35); expect(py2).toBeGreaterThan(0.8);
    const [dx1 = 0, dy1 = 0, dx2 = 0] = dog?.box ?? [];
    expect(dx1).toBeLessThan(0.2); expect(dx2).toBeLessThan(0.4); expect(dy1).toBeGreaterThan(0.5);
  });

  it('opens in ONNX Runtime without any warning (every recorded shape agrees), at 512, 416 and 320', async () => {
    const files = [path.join(out, 'centernet-mbv3-coco.onnx')];
    for (const size of [416, 320]) {
      const r = convertNpmModel(HUMAN_CENTERNET, { root: repoRoot, outDir: out, inputSize: size });
      expect(r.status).toBe('converted');
      if (r.status !== 'converted') continue;
      const { manifest, onnx } = loadManifest(r.manifestPath);
      expect(manifest.id).toBe(`centernet-mbv3-coco-${size}`);
      expect(manifest.input.shape).toEqual([1, 3, size, size]);
      const { nhwc, letterbox } = letterboxed(fixtures.image('darknet_person.jpg'), size, manifest);
      const outputs = await runOrt(onnx, manifest.input.name, nhwcToNchw(nhwc, 1, size, size, 3), manifest.input.shape as number[]);
      expect(outputs.keypoints?.dims).toEqual([1, 80, size / 4, size / 4]);
      const found = decodeCenternet({ outputs, manifest, letterbox }, manifest.thresholds.score);
      expect(found.some((c) => c.classId === 0 && c.score > 0.5)).toBe(true);
      files.push(r.onnxPath);
    }
    const { warnings, status } = ortWarnings(files);
    expect(warnings).toEqual([]);
    expect(status).toBe(0);
  });

  it('is deterministic: converting again gives identical bytes', () => {
    const first = fs.readFileSync(path.join(out, 'centernet-mbv3-coco.onnx'));
    const again = convertNpmModel(HUMAN_CENTERNET, { root: repoRoot, outDir: out, force: true });
    expect(again.status).toBe('converted');
    expect(fs.readFileSync(path.join(out, 'centernet-mbv3-coco.onnx')).equals(first)).toBe(true);
  });
});
