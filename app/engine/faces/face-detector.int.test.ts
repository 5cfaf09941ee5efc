import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../../../test/support/shared-fixtures';
import { FaceDetector, type DetectedFace } from './face-detector';
import { importFaceDetector } from './face-detector-import';
import { readRgbImage, type RgbImage } from './rgb-image';

/**
 * Each face detector family's decoder on real fixture pictures with real ONNX Runtime: the shipped BlazeFace, and
 * YuNet and UltraFace installed the way an admin imports them (importFaceDetector writes their manifests).
 */
const dirs: string[] = [];
const detectors: Partial<Record<'blazeface' | 'yunet' | 'ultraface', FaceDetector>> = {};
let astronaut: RgbImage;
let corridor: RgbImage;

async function imported(family: 'yunet' | 'ultraface', file: string): Promise<FaceDetector> {
  const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-face-family-'));
  dirs.push(modelsDir);
  await importFaceDetector({ file: fixtures.faces(file), modelsDir, family, provenance: 'test fixture' });
  return FaceDetector.create(path.join(modelsDir, 'face-detector.json'));
}

beforeAll(async () => {
  astronaut = readRgbImage(fixtures.image('skimage_astronaut.png'));
  corridor = readRgbImage(fixtures.image('intel_face_demographics_walking_frame30.png'));
  detectors.blazeface = await FaceDetector.create(path.join(repoRoot, 'native-models', 'generated', 'face-detector.json'));
  detectors.yunet = await imported('yunet', 'yunet_s_640_640.onnx');
  detectors.ultraface = await imported('ultraface', 'ultraface_version-RFB-320.onnx');
});
afterAll(async () => {
  for (const d of Object.values(detectors)) await d?.dispose();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const centre = (b: DetectedFace['box']) => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] as const;
const inside = (p: readonly number[], b: DetectedFace['box']) => p[0]! >= b[0] && p[0]! <= b[2] && p[1]! >= b[1] && p[1]! <= b[3];

describe.each(['yunet', 'ultraface'] as const)('%s decoder', (family) => {
  it('finds the astronaut’s face near where BlazeFace finds it, with its eyes inside the box, left eye first', async () => {
    const [ref] = await detectors.blazeface!.detect(astronaut);
    const faces = await detectors[family]!.detect(astronaut);
    expect(faces).toHaveLength(1);
    const f = faces[0]!;
    console.log(`${family}: score ${f.score.toFixed(3)} box ${f.box.map((v) => v.toFixed(1)).join(',')} (BlazeFace ${ref!.box.map((v) => v.toFixed(1)).join(',')})`);
    expect(f.score).toBeGreaterThan(0.8);
    const w = ref!.box[2] - ref!.box[0];
    const [cx, cy] = centre(f.box), [rx, ry] = centre(ref!.box);
    expect(Math.hypot(cx - rx, cy - ry)).toBeLessThan(0.15 * w);
    expect((f.box[2] - f.box[0]) / w).toBeGreaterThan(0.7);
    expect((f.box[2] - f.box[0]) / w).toBeLessThan(1.3);
    for (const p of f.landmarks) expect(inside(p, f.box)).toBe(true);
    expect(f.landmarks[0]![0]).toBeLessThan(f.landmarks[1]![0]);
    // Eyes within a fifth of the eye distance of BlazeFace's.
    const eyes = Math.hypot(ref!.landmarks[1]![0] - ref!.landmarks[0]![0], ref!.landmarks[1]![1] - ref!.landmarks[0]![1]);
    for (const k of [0, 1]) expect(Math.hypot(f.landmarks[k]![0] - ref!.landmarks[k]![0], f.landmarks[k]![1] - ref!.landmarks[k]![1])).toBeLessThan(0.2 * eyes);
  });

  it('finds both walkers of the corridor frame (faces 20-25 px wide)', async () => {
    const faces = await detectors[family]!.detect(corridor);
    expect(faces).toHaveLength(2);
    const ref = await detectors.blazeface!.detect(corridor);
    for (const f of faces) expect(ref.some((r) => inside(centre(f.box), r.box))).toBe(true);
  });
});

it('YuNet gives eyes, nose tip and mouth centre measured by the model; UltraFace two eyes placed by the box', async () => {
  const [y] = await detectors.yunet!.detect(astronaut);
  expect(y!.landmarks).toHaveLength(4);
  expect(y!.eyesFromBox).toBeUndefined();
  // Nose below the eyes, mouth below the nose.
  expect(y!.landmarks[2]![1]).toBeGreaterThan(y!.landmarks[0]![1]);
  expect(y!.landmarks[3]![1]).toBeGreaterThan(y!.landmarks[2]![1]);
  const [u] = await detectors.ultraface!.detect(astronaut);
  expect(u!.landmarks).toHaveLength(2);
  expect(u!.eyesFromBox).toBe(true);
});
