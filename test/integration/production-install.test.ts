import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LiveFrame } from '../../app/shared/domain/detection';
import { decodeFrame } from '../../app/shared/ipc/frame-codec';
import { URL_LINE_PREFIX, WS_PATH } from '../../app/shared/ipc/ws-protocol';
import { poll } from '../support/camera-harness';
import { fixtures, repoRoot } from '../support/shared-fixtures';

/**
 * The app as a site installs it, as close as this machine allows (issue 18 A7): the repository's files and the
 * built dist/ are copied to a clean folder outside the repository, `npm ci --omit=dev` installs the production
 * tree there (what electron-builder packs), and the headless host is started FROM THAT COPY: it must start,
 * let the first administrator sign in, add a file camera and deliver a frame with detections over the
 * WebSocket. A runtime module left in devDependencies (jpeg-js was) makes the host crash at start here.
 *
 * It needs the npm registry (or a warm npm cache) and builds better-sqlite3 from source where no prebuilt
 * binary can be fetched (about a minute), so it runs when WATCHROOM_PRODUCTION_INSTALL_CHECK=1 (.ci/run sets it).
 */
const enabled = process.env.WATCHROOM_PRODUCTION_INSTALL_CHECK === '1';
let copy = '';
let host: ChildProcess | null = null;
afterAll(() => {
  if (host && host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
  if (copy && process.env.WATCHROOM_KEEP_PRODUCTION_COPY !== '1') fs.rmSync(copy, { recursive: true, force: true });
});

/** The files a clean clone has (tracked, plus new files not ignored), and the build outputs the package ships. */
function copyRepository(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    const from = path.join(repoRoot, f);
    if (!fs.existsSync(from) || fs.statSync(from).isDirectory()) continue;
    fs.mkdirSync(path.dirname(path.join(to, f)), { recursive: true });
    fs.copyFileSync(from, path.join(to, f));
  }
  fs.cpSync(path.join(repoRoot, 'dist'), path.join(to, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
  // the converted fallback model ships in the package (electron-builder.yml: native-models/generated/**)
  const generated = path.join(repoRoot, 'native-models', 'generated');
  if (fs.existsSync(generated)) fs.cpSync(fs.realpathSync(generated), path.join(to, 'native-models', 'generated'), { recursive: true });
}

/** Environment without anything that would let the copy find the repository's modules or settings. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('WATCHROOM_') && k !== 'NODE_PATH' && !k.startsWith('VITEST') && k !== 'NODE_OPTIONS') env[k] = v;
  return { ...env, ...extra };
}

describe.skipIf(!enabled)('production install (npm ci --omit=dev in a clean copy)', () => {
  it('starts the headless host from the copy, signs in, adds a file camera and receives a frame with detections', async () => {
    expect(fs.existsSync(path.join(repoRoot, 'dist', 'node', 'headless.cjs')), 'run `npm run build` first').toBe(true);
    const t0 = Date.now();
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-production-'));
    // nothing above the copy may hold a node_modules folder the host could resolve from
    for (let d = path.dirname(copy); d !== path.dirname(d); d = path.dirname(d)) expect(fs.existsSync(path.join(d, 'node_modules')), `${d}/node_modules`).toBe(false);
    copyRepository(copy);

    const install = spawnSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: copy,
      env: cleanEnv({ ONNXRUNTIME_NODE_INSTALL: 'skip' }),
      encoding: 'utf8',
      timeout: 480_000,
    });
    const installLog = `${install.stdout ?? ''}\n${install.stderr ?? ''}`;
    expect(install.status, installLog.slice(-4000)).toBe(0);
    expect(fs.existsSync(path.join(copy, 'node_modules', 'electron')), 'devDependencies must not be installed').toBe(false);
    // what a newcomer reads as errors (issue 18 A9): npm's warning about a setting it does not know
    expect(installLog).not.toMatch(/Unknown (project|user|global|env) config/);
    if (fs.existsSync(path.join(copy, 'native-models', 'generated'))) expect(installLog).toContain('using the converted model shipped in native-models/generated');
    const installedMs = Date.now() - t0;

    // An offline site's model: YOLOX-Nano imported with the copy's own CLI into the data folder.
    const dataDir = path.join(copy, 'data');
    const imported = spawnSync(process.execPath, [path.join(copy, 'dist/node/models.cjs'), 'import', fixtures.model('yolox_nano.onnx'), '--data-dir', dataDir], { cwd: copy, env: cleanEnv(), encoding: 'utf8', timeout: 120_000 });
    expect(imported.status, `${imported.stdout}\n${imported.stderr}`).toBe(0);

    const output: string[] = [];
    const child = spawn(process.execPath, [path.join(copy, 'dist/node/headless.cjs'), '--data-dir', dataDir, '--port', '0', '--no-open'], { cwd: copy, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    host = child;
    readline.createInterface({ input: child.stderr! }).on('line', (l) => output.length < 500 && output.push(l));
    let url = '';
    readline.createInterface({ input: child.stdout! }).on('line', (l) => {
      if (output.length < 500) output.push(l);
      if (l.startsWith(URL_LINE_PREFIX)) url = l.slice(URL_LINE_PREFIX.length).trim();
    });
    await poll('the host from the production install to print its URL', () => url || child.exitCode !== null, 60_000, () => output.join('\n'));
    expect(child.exitCode, `the host exited:\n${output.join('\n')}`).toBeNull();

    const u = new URL(url);
    const ws = new WebSocket(`${u.origin.replace(/^http/, 'ws')}${WS_PATH}?token=${u.searchParams.get('token')}`, { origin: u.origin });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    let nextId = 1;
    const waiting = new Map<number, (m: { ok: boolean; value?: unknown; error?: unknown }) => void>();
    const frames: LiveFrame[] = [];
    ws.on('message', (data, binary) => {
      if (binary) return void frames.push(decodeFrame(new Uint8Array(data as Buffer)));
      const m = JSON.parse(String(data)) as { t: string; id?: number; ok: boolean };
      if (m.t === 'result') waiting.get(m.id!)?.(m);
    });
    const invoke = (channel: string, input?: unknown) =>
      new Promise<{ ok: boolean; value?: unknown; error?: unknown }>((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ t: 'invoke', id, channel, ...(input !== undefined ? { input } : {}) }));
      });

    expect(await invoke('auth:setup', { name: 'admin', password: 'correct horse battery' })).toMatchObject({ ok: true });
    const added = await invoke('cameras:add', { name: 'Corridor', source: fixtures.video('intel_one_by_one_person.mp4'), analysisFps: 5 });
    expect(added, JSON.stringify(added)).toMatchObject({ ok: true });
    const cameraId = (added.value as { id: string }).id;
    ws.send(JSON.stringify({ t: 'frames', cameraId, on: true }));
    const withBoxes = await poll('a frame with detections from the production install', () => frames.find((f) => f.cameraId === cameraId && (f.detections?.length ?? 0) > 0), 120_000, () => `${frames.length} frames, ${frames.filter((f) => f.detections).length} with a detection result\n${output.slice(-40).join('\n')}`);
    expect(withBoxes.jpeg.length).toBeGreaterThan(1000);
    ws.close();
    console.info(`production install check: npm ci --omit=dev + copy ${(installedMs / 1000).toFixed(0)} s, first frame with detections ${((Date.now() - t0 - installedMs) / 1000).toFixed(0)} s later, ${fs.readdirSync(path.join(copy, 'node_modules')).length} top-level packages`);
  }, 600_000);
});
