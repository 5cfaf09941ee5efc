import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot, sharedPath } from '../../test/support/shared-fixtures';

const SHARED_SHA = '4903c9058f6e2553834e9905be1ae5d67e262cb6321964dbc57a49edc6fa10da';

/** Async: the HTTP server under test lives in this process, so the event loop must keep running. */
function models(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(repoRoot, 'dist/node/models.cjs'), ...args], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'wr-models-'));

const manifest = (over: Record<string, unknown>) => ({
  id: 'local-yolox', name: 'local', file: 'local.onnx', licence: 'Apache-2.0', decoder: 'yolox',
  input: { name: 'images', shape: [1, 3, 416, 416], layout: 'nchw', colour: 'bgr', letterbox: 'topleft', padValue: 114 },
  classes: JSON.parse(fs.readFileSync(path.join(repoRoot, 'native-models/yolox-nano.json'), 'utf8')).classes,
  rank: 100,
  ...over,
});

describe('models CLI', () => {
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/yolox.onnx') {
        const buf = fs.readFileSync(fixtures.model('yolox_nano.onnx'));
        res.writeHead(200, { 'content-length': buf.length });
        res.end(buf);
      } else if (req.url === '/redirect') {
        res.writeHead(302, { location: '/yolox.onnx' });
        res.end();
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('lists the shipped manifests as missing with where to get them', async () => {
    const r = await models(['list', '--json', '--data-dir', tmp()]);
    expect(r.code).toBe(0);
    const views = JSON.parse(r.stdout) as { id: string; status: string; error?: string; isDefault: boolean }[];
    expect(views.find((v) => v.id === 'yolox-nano')).toMatchObject({ status: 'missing' });
    expect(views.find((v) => v.id === 'yolo11n')?.error).toMatch(/import the file on the Models page, or fetch it there from https:/);
    // Nothing downloaded: the only possible default is the fallback converted at install (native-models/generated).
    expect(views.filter((v) => v.isDefault).map((v) => v.id).every((id) => id.startsWith('centernet'))).toBe(true);
  });

  it('imports the shared YOLOX-Nano as a local model with its own SHA-256 and makes it the default', async () => {
    const dir = tmp();
    const r = await models(['import', fixtures.model('yolox_nano.onnx'), '--data-dir', dir]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { imported: string; decoder: string; sha256: string };
    expect(out).toMatchObject({ imported: 'yolox_nano', decoder: 'yolox', sha256: SHARED_SHA });
    const views = JSON.parse((await models(['list', '--json', '--data-dir', dir])).stdout) as { id: string; status: string; isDefault: boolean }[];
    expect(views.find((v) => v.id === 'yolox_nano')).toMatchObject({ status: 'installed', isDefault: true });
    expect(views.find((v) => v.id === 'yolox-nano')).toMatchObject({ status: 'missing' });
  });

  it('refuses a model whose shapes do not fit the decoder, and a corrupt file, leaving nothing behind', async () => {
    const dir = tmp();
    const bad = await models(['import', sharedPath('fixtures', 'faces', 'ultraface_version-slim-320.onnx'), '--decoder', 'yolox', '--data-dir', dir]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/does not fit decoder yolox/);
    const junk = path.join(tmp(), 'junk.onnx');
    fs.writeFileSync(junk, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const corrupt = await models(['import', junk, '--decoder', 'yolox', '--data-dir', dir]);
    expect(corrupt.code).not.toBe(0);
    expect(corrupt.stderr).toMatch(/not a loadable ONNX model/);
    expect(fs.existsSync(path.join(dir, 'models')) ? fs.readdirSync(path.join(dir, 'models')) : []).toEqual([]);
  });

  it('reports a SHA-256 mismatch and refuses that model', async () => {
    const dir = path.join(tmp(), 'models');
    fs.mkdirSync(dir);
    fs.copyFileSync(fixtures.model('yolox_nano.onnx'), path.join(dir, 'local.onnx'));
    fs.writeFileSync(path.join(dir, 'local-yolox.json'), JSON.stringify(manifest({ sha256: 'c789161ed43c8269fcd4e67c67eeeb4e80c622da2eb296a20bc6007bd18a0b7d' })));
    const views = JSON.parse((await models(['list', '--json', '--models-dir', dir])).stdout) as { id: string; status: string; error?: string }[];
    expect(views.find((v) => v.id === 'local-yolox')).toMatchObject({ status: 'invalid' });
    expect(views.find((v) => v.id === 'local-yolox')?.error).toMatch(/SHA-256 mismatch/);
  });

  it('fetches over HTTP (with a redirect), verifies SHA-256, and deletes a mismatching download', async () => {
    const dir = path.join(tmp(), 'models');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'local-yolox.json'), JSON.stringify(manifest({ url: `${base}/redirect`, sha256: SHARED_SHA })));
    const ok = await models(['fetch', 'local-yolox', '--models-dir', dir]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/fetching local-yolox/);
    expect(JSON.parse(ok.stdout)).toMatchObject({ fetched: 'local-yolox', sha256: SHARED_SHA });
    const views = JSON.parse((await models(['list', '--json', '--models-dir', dir])).stdout) as { id: string; status: string }[];
    expect(views.find((v) => v.id === 'local-yolox')?.status).toBe('installed');

    const dir2 = path.join(tmp(), 'models');
    fs.mkdirSync(dir2);
    fs.writeFileSync(path.join(dir2, 'local-yolox.json'), JSON.stringify(manifest({ url: `${base}/yolox.onnx`, sha256: 'c789161ed43c8269fcd4e67c67eeeb4e80c622da2eb296a20bc6007bd18a0b7d' })));
    const bad = await models(['fetch', 'local-yolox', '--models-dir', dir2]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/SHA-256 mismatch.*deleted/);
    expect(fs.readdirSync(dir2)).toEqual(['local-yolox.json']);
  });

  it('a URL-only manifest needs --sha256, then pins it', async () => {
    const dir = path.join(tmp(), 'models');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'local-yolox.json'), JSON.stringify(manifest({ url: `${base}/yolox.onnx` })));
    const refused = await models(['fetch', 'local-yolox', '--models-dir', dir]);
    expect(refused.stderr).toMatch(/pins no SHA-256.*--sha256/);
    const ok = await models(['fetch', 'local-yolox', '--sha256', SHARED_SHA, '--models-dir', dir]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'local-yolox.json'), 'utf8')).sha256).toBe(SHARED_SHA);
  });

  it('fails cleanly when the server cannot be reached', async () => {
    const dir = path.join(tmp(), 'models');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'local-yolox.json'), JSON.stringify(manifest({ url: 'http://127.0.0.1:1/none.onnx', sha256: SHARED_SHA })));
    const r = await models(['fetch', 'local-yolox', '--models-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/download of local-yolox .* failed/);
    expect(fs.readdirSync(dir)).toEqual(['local-yolox.json']);
  });
});
