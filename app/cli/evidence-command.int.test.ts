import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/support/temp-dirs';
import { makeEvidenceSite, type EvidenceSite } from '../engine/evidence/evidence-site.test-support';
import { CameraRepository } from '../engine/storage/camera.repository';
import type { Db } from '../engine/storage/database';
import { keyFileSecretBox } from '../engine/storage/key-file-secret-box';
import { runEvidenceCli } from './evidence-command';

const newDir = tempDirs('wr-evidence-cli-');
let dataDir: string;
let outDir: string;
let db: Db;
let site: EvidenceSite;

beforeEach(() => {
  dataDir = newDir();
  outDir = newDir();
  site = makeEvidenceSite(dataDir, 20);
  ({ db } = site);
});
afterEach(() => db.close());

describe('npm run evidence (real ffmpeg, real database)', () => {
  it('CLI: export, verify, a changed file, and bad input → exit 0, 0, 1, 2 with one JSON line', async () => {
    const run = async (...argv: string[]) => {
      let out = '';
      const code = await runEvidenceCli(argv, (s) => (out += s), () => {});
      return { code, json: JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>, lines: out.trim().split('\n').length };
    };
    const target = path.join(outDir, 'case-17');
    const common = ['--data-dir', dataDir, '--from', '2026-03-30T02:13:55.500Z', '--to', '2026-03-30T02:14:05.500Z', '--reason', 'Case 17'];
    const ok = await run('export', ...common, '--camera', 'Gate,Loading bay', '--out', target);
    expect(ok).toMatchObject({ code: 0, lines: 1, json: { ok: true, folder: target, files: 4 } });
    expect((await run('verify', target)).code).toBe(0);
    expect((await run('verify', target, '--data-dir', dataDir)).json).toMatchObject({ state: 'intact' });
    const csv = path.join(target, 'events.csv');
    fs.appendFileSync(csv, 'x');
    expect(await run('verify', target)).toMatchObject({ code: 1, json: { state: 'changed', changed: ['events.csv'] } });

    const before = fs.readdirSync(outDir);
    for (const [argv, message] of [
      [['export', ...common, '--camera', 'Gate', '--out', target], /already exists/],
      [['export', ...common, '--camera', 'Roof', '--out', path.join(outDir, 'b')], /no camera named "Roof"/],
      [['export', ...common.slice(0, 2), '--from', '2026-03-30T03:00:00Z', '--to', '2026-03-30T03:01:00Z', '--reason', 'x', '--camera', 'Gate', '--out', path.join(outDir, 'c')], /no recording/],
      [['export', ...common.slice(0, 2), '--from', '2026-01-01T00:00:00Z', '--to', '2026-03-30T03:01:00Z', '--reason', 'x', '--camera', 'Gate', '--out', path.join(outDir, 'd')], /longer than recordings are kept/],
      [['export', ...common, '--camera', 'Gate', '--out', path.join(dataDir, 'e')], /inside the data directory/],
      [['export', ...common, '--camera', 'Gate', '--out', path.join(outDir, 'missing-parent', 'f')], /does not exist/],
      [['export', '--data-dir', dataDir, '--camera', 'Gate', '--out', path.join(outDir, 'g')], /Missing --from, --to, --reason/],
      [['verify', path.join(outDir, 'nothing-here')], /no folder/],
    ] as const) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.json.ok).toBe(false);
      expect(String(r.json.error)).toMatch(message);
    }
    expect(fs.readdirSync(outDir)).toEqual(before);
    expect(fs.readdirSync(dataDir).filter((f) => f === 'e')).toEqual([]);
  });

  it('reads the recording index: a camera removed since (its recordings still indexed) is refused by name; unindexed files are not exported', async () => {
    let out = '';
    const run = async (...argv: string[]) => {
      out = '';
      const code = await runEvidenceCli(argv, (s) => (out += s), () => {});
      return { code, json: JSON.parse(out.trim()) as Record<string, unknown> };
    };
    const common = ['--data-dir', dataDir, '--from', '2026-03-30T02:13:55.500Z', '--to', '2026-03-30T02:14:05.500Z', '--reason', 'Case 18'];
    const bayRows = site.segments.segmentsFor(site.bay, 0, Date.now()).length;
    expect(bayRows).toBeGreaterThan(0);
    new CameraRepository(db, keyFileSecretBox(dataDir)).remove(site.bay);
    const removed = await run('export', ...common, '--camera', 'Gate,Loading bay', '--out', path.join(outDir, 'h'));
    expect(removed.code).toBe(2);
    expect(String(removed.json.error)).toMatch(/no camera named "Loading bay" \(removed since/);
    expect(fs.readdirSync(outDir)).toEqual([]);
    // Nothing else disturbed: the removed camera's recordings and their rows are still there.
    expect(site.segments.segmentsFor(site.bay, 0, Date.now())).toHaveLength(bayRows);
    expect(site.segments.segmentsFor(site.bay, 0, Date.now()).every((s) => fs.existsSync(s.path))).toBe(true);

    // The index, not the folder, says what was recorded: Gate's segments dropped from the index are not exported.
    db.prepare('DELETE FROM recording_segments WHERE camera_id = ?').run(site.gate);
    const unindexed = await run('export', ...common, '--camera', 'Gate', '--out', path.join(outDir, 'i'));
    expect(unindexed.code).toBe(2);
    expect(String(unindexed.json.error)).toMatch(/no recording of Gate/);
    expect(fs.readdirSync(outDir)).toEqual([]);
  });


  it('a destination that is really full (a 1 MiB filesystem): exit 2 with a clear message, nothing written there (needs root to mount; skipped otherwise)', async (ctx) => {
    const small = newDir();
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', small]).status !== 0) return ctx.skip();
    try {
      let out = '';
      const code = await runEvidenceCli(
        ['export', '--data-dir', dataDir, '--camera', 'Gate,Loading bay', '--from', '2026-03-30T02:13:52Z', '--to', '2026-03-30T02:14:08Z', '--reason', 'Case 19', '--out', path.join(small, 'case-19')],
        (s) => (out += s),
        () => {},
      );
      expect(code).toBe(2);
      expect(JSON.parse(out.trim())).toMatchObject({ ok: false, error: expect.stringMatching(/is too full: the export needs about \d+ MiB, \d+ MiB are free/) });
      expect(fs.readdirSync(small)).toEqual([]);
    } finally {
      spawnSync('umount', [small]);
    }
  });
});
