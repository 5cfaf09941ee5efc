import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test/support/shared-fixtures';
import { convertNpmModel, findPackageDir } from './convert-npm-model.service';
import { HUMAN_CENTERNET, type NpmModelSource } from './npm-model-sources';

/**
 * The install-time conversion: pinned version and hashes, clear messages for every failure, idempotence,
 * the CLI's exit codes and scripts/postinstall.mjs from a clean copy of the repository.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-model-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const humanDir = findPackageDir(repoRoot, HUMAN_CENTERNET.packageName) as string;
const sha = (p: string) => crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');

/** A fake package under <root>/node_modules holding the CenterNet files, the weights cut to `binBytes`. */
function fakePackage(name: string, binBytes?: number): { root: string; src: NpmModelSource } {
  const root = fs.mkdtempSync(path.join(tmp, 'root-'));
  const dir = path.join(root, 'node_modules', ...name.split('/'));
  fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '3.3.6' }));
  fs.copyFileSync(path.join(humanDir, 'models/centernet.json'), path.join(dir, 'models/centernet.json'));
  const bin = fs.readFileSync(path.join(humanDir, 'models/centernet.bin'));
  fs.writeFileSync(path.join(dir, 'models/centernet.bin'), binBytes === undefined ? bin : bin.subarray(0, binBytes));
  return { root, src: { ...HUMAN_CENTERNET, packageName: name } };
}

describe('install-time conversion of npm-shipped models', () => {
  it('says clearly when the package is missing, another version, or its files changed or were truncated', () => {
    const outDir = path.join(tmp, 'out-fail');
    const missing = convertNpmModel({ ...HUMAN_CENTERNET, packageName: '@watchroom-test/not-installed' }, { root: tmp, outDir });
    expect(missing).toMatchObject({ status: 'failed', reason: expect.stringMatching(/package @watchroom-test\/not-installed is not installed/) });

    const version = convertNpmModel({ ...HUMAN_CENTERNET, packageVersion: '9.9.9' }, { root: repoRoot, outDir });
    expect(version).toMatchObject({ status: 'failed', reason: expect.stringMatching(/@vladmandic\/human is version 3\.3\.6, but only 9\.9\.9 is pinned/) });

    const changed = convertNpmModel({ ...HUMAN_CENTERNET, files: { ...HUMAN_CENTERNET.files, 'models/centernet.bin': '0'.repeat(64) } }, { root: repoRoot, outDir });
    expect(changed).toMatchObject({ status: 'failed', reason: expect.stringMatching(/centernet\.bin has SHA-256 1b635a15[0-9a-f]+ \(4030290 bytes\), expected 0{64}: the file is damaged, truncated or changed/) });

    const truncated = fakePackage('@watchroom-test/truncated', 1_000_000);
    const pinnedHashes = convertNpmModel(truncated.src, { root: truncated.root, outDir });
    expect(pinnedHashes).toMatchObject({ status: 'failed', reason: expect.stringMatching(/centernet\.bin has SHA-256 [0-9a-f]{64} \(1000000 bytes\), expected 1b635a15/) });
    // even with hashes matching the truncated file, the decoder names the weight that does not fit
    const binPath = path.join(truncated.root, 'node_modules/@watchroom-test/truncated/models/centernet.bin');
    const rehashed = { ...truncated.src, files: { ...truncated.src.files, 'models/centernet.bin': sha(binPath) } };
    expect(convertNpmModel(rehashed, { root: truncated.root, outDir })).toMatchObject({ status: 'failed', reason: expect.stringMatching(/centernet\.bin truncated: weight "[^"]+" needs bytes \d+\.\.\d+ but only 1000000 are present/) });
    expect(fs.existsSync(outDir)).toBe(false);
  });

  it('is idempotent: up to date while sources, converter and output agree; converts again when the output changed', () => {
    const { root, src } = fakePackage('@watchroom-test/good');
    const outDir = path.join(tmp, 'out-good');
    const first = convertNpmModel(src, { root, outDir });
    expect(first.status).toBe('converted');
    expect(convertNpmModel(src, { root, outDir }).status).toBe('up-to-date');
    const onnx = path.join(outDir, 'centernet-mbv3-coco.onnx');
    fs.appendFileSync(onnx, 'x');
    expect(convertNpmModel(src, { root, outDir }).status).toBe('converted');
    const manifest = JSON.parse(fs.readFileSync(path.join(outDir, 'centernet-mbv3-coco.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ decoder: 'centernet', licence: expect.stringMatching(/MIT/), conversion: { packageVersion: '3.3.6', inputSize: 512 } });
    expect(manifest.provenance).toMatch(/carries no licence file of its own; the npm package is MIT/);
  });

  it('the CLI reports failures and exits 0 only in --postinstall mode', () => {
    const cli = path.join(repoRoot, 'dist/node/convert-models.cjs');
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    const strict = spawnSync(process.execPath, [cli, '--root', empty, '--out', path.join(empty, 'out')], { encoding: 'utf8' });
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/centernet-mbv3-coco: NOT converted: package @vladmandic\/human is not installed .*Watchroom runs without this detector/);
    const lenient = spawnSync(process.execPath, [cli, '--postinstall', '--root', empty], { encoding: 'utf8' });
    expect(lenient.status).toBe(0);
  });

  it('postinstall converts from a clean clone (no dist/), then skips; a broken step still exits 0', () => {
    const clone = fs.mkdtempSync(path.join(tmp, 'clone-'));
    for (const p of ['app', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.base.json', 'tsconfig.node.json']) {
      if (fs.existsSync(path.join(repoRoot, p))) fs.cpSync(path.join(repoRoot, p), path.join(clone, p), { recursive: true });
    }
    fs.symlinkSync(fs.realpathSync(path.join(repoRoot, 'node_modules')), path.join(clone, 'node_modules'));
    const run = () => spawnSync(process.execPath, ['scripts/postinstall.mjs'], { cwd: clone, encoding: 'utf8', timeout: 120_000 });
    const first = run();
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/centernet-mbv3-coco: converted in \d+ ms/);
    expect(fs.existsSync(path.join(clone, 'native-models/generated/centernet-mbv3-coco.onnx'))).toBe(true);
    const second = run();
    expect(second.stdout).toMatch(/centernet-mbv3-coco: up to date/);

    fs.rmSync(path.join(clone, 'dist'), { recursive: true, force: true });
    fs.writeFileSync(path.join(clone, 'dist'), 'not a directory');
    const broken = run();
    expect(broken.status).toBe(0);
    expect(broken.stderr).toMatch(/\[postinstall\] model conversion skipped: .*Watchroom runs without the bundled CenterNet detector/s);
  });
});
