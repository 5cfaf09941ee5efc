import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../../test/support/shared-fixtures';

const analyze = (args: string[]) => execFileSync(process.execPath, [path.join(repoRoot, 'dist/node/analyze.cjs'), ...args], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, WATCHROOM_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'wr-analyze-')) } });
const lastJson = (out: string) => JSON.parse(out.trim().split('\n').pop()!) as { frames: number; fps: number; detections: Record<string, number>; timings: Record<string, number> };

describe('analyze CLI (real ffmpeg + ONNX Runtime)', () => {
  it('darknet_person.jpg: exactly person, dog, horse above 0.5 with the reference scores', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wr-')), 'dp.jsonl');
    const summary = lastJson(analyze(['--source', fixtures.image('darknet_person.jpg'), '--model', fixtures.model('yolox_nano.onnx'), '--classes', 'all', '--out', out]));
    expect(summary.frames).toBe(1);
    const line = JSON.parse(fs.readFileSync(out, 'utf8').trim()) as { frame: number; t: number; detections: { cls: string; score: number; box: number[] }[] };
    expect(line.frame).toBe(0);
    const strong = line.detections.filter((d) => d.score > 0.5);
    expect(strong.map((d) => d.cls).sort()).toEqual(['dog', 'horse', 'person']);
    const ref: Record<string, number> = { person: 0.88, dog: 0.879, horse: 0.871 };
    for (const d of strong) {
      expect(Math.abs(d.score - ref[d.cls]!)).toBeLessThanOrEqual(0.01);
      for (const v of d.box) expect(v >= 0 && v <= 1).toBe(true);
    }
    expect(summary.detections).toMatchObject({ person: 1, dog: 1, horse: 1 });
  });

  it('default class filter keeps people and vehicles only', () => {
    const summary = lastJson(analyze(['--source', fixtures.image('darknet_person.jpg'), '--model', fixtures.model('yolox_nano.onnx')]));
    expect(Object.keys(summary.detections)).toEqual(['person']);
  });

  it('intel_one_by_one_person.mp4 at 2 fps: person while clearly in view, nobody in the empty windows', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wr-')), 'v.jsonl');
    const summary = lastJson(analyze(['--source', fixtures.video('intel_one_by_one_person.mp4'), '--model', fixtures.model('yolox_nano.onnx'), '--fps', '2', '--out', out]));
    const rows = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: number; detections: { cls: string }[] });
    expect(summary.frames).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(250);
    const clear = [[7.0, 18.5], [23.0, 43.5], [51.5, 68.5], [75.5, 86.0], [93.0, 118.5], [124.5, 134.5]];
    const empty = [[0.0, 5.5], [20.0, 21.0], [45.0, 49.5], [70.0, 74.0], [87.5, 91.5], [120.0, 123.0], [136.0, 139.4]];
    const within = (w: number[][]) => rows.filter((r) => w.some(([a, b]) => r.t >= a! && r.t <= b!));
    const hit = (rs: typeof rows) => rs.filter((r) => r.detections.some((d) => d.cls === 'person')).length / rs.length;
    expect(within(clear).length).toBeGreaterThan(150);
    expect(hit(within(clear))).toBeGreaterThanOrEqual(0.9);
    expect(hit(within(empty))).toBeLessThanOrEqual(0.02);
  });

  it('fails clearly on a missing source', () => {
    expect(() => analyze(['--source', '/nonexistent.mp4', '--model', fixtures.model('yolox_nano.onnx')])).toThrow(/cannot read/);
  });
});
