import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../support/shared-fixtures';

// `analyze --rules --data-dir` imports recorded footage into the ledger as a camera's events. A SIGKILL at a
// random moment, then the same import again: the ledger is intact and holds each crossing exactly once.

let tmp: string;
const analyzeArgs = (dataDir: string, rules: string) => [
  path.join(repoRoot, 'dist/node/analyze.cjs'),
  '--source', fixtures.video('mot15_tud_campus.mp4'),
  '--model', fixtures.model('yolox_nano.onnx'),
  '--rules', rules,
  '--data-dir', dataDir,
  '--camera', 'Campus entrance',
  '--start', '2026-11-20T10:00:00Z',
];
const crossings = (dataDir: string) => {
  const db = new Database(path.join(dataDir, 'watchroom.db'), { readonly: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const rows = db.prepare("SELECT direction, track_id AS track, frame_ms AS ms FROM ledger_events WHERE type = 'line.cross' ORDER BY frame_ms").all() as { direction: string; track: number; ms: number }[];
    const camera = db.prepare('SELECT name, enabled FROM cameras').all();
    return { integrity, rows, camera };
  } finally {
    db.close();
  }
};

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-import-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('footage import into the ledger', () => {
  it('survives a SIGKILL at a random moment: re-run leaves exactly the 5 crossings once each', async () => {
    const rules = path.join(tmp, 'mid.json');
    fs.writeFileSync(rules, JSON.stringify({ rules: [{ id: 'mid', type: 'line', points: [[0.5, 0], [0.5, 1]], anchor: 'center' }] }));
    const dataDir = path.join(tmp, 'data');
    // Killed somewhere between start-up and the end of the run (a full run takes a couple of seconds here).
    const child = spawn(process.execPath, analyzeArgs(dataDir, rules), { cwd: repoRoot, stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    const killAfter = 300 + Math.floor(Math.random() * 2500);
    await Promise.race([exited, new Promise((r) => setTimeout(r, killAfter))]);
    child.kill('SIGKILL');
    await exited;

    for (let run = 0; run < 2; run++) {
      const r = spawnSync(process.execPath, analyzeArgs(dataDir, rules), { cwd: repoRoot, encoding: 'utf8', timeout: 110_000 });
      expect(r.status, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { rules: Record<string, { in: number; out: number }> };
      expect(summary.rules.mid).toMatchObject({ in: 4, out: 1 });
    }
    const { integrity, rows, camera } = crossings(dataDir);
    expect(integrity).toBe('ok');
    expect(rows.map((r) => r.direction).sort()).toEqual(['in', 'in', 'in', 'in', 'out']);
    expect(new Set(rows.map((r) => `${r.track}:${r.direction}`)).size).toBe(5);
    // Timed from the footage's start (2.84 s clip).
    const start = Date.parse('2026-11-20T10:00:00Z');
    for (const r of rows) {
      expect(r.ms - start).toBeGreaterThanOrEqual(0);
      expect(r.ms - start).toBeLessThan(3_000);
    }
    expect(camera).toEqual([{ name: 'Campus entrance', enabled: 0 }]);
  });
});
