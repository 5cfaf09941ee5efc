import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { URL_LINE_PREFIX } from '../shared/ipc/ws-protocol';
import { nullLogger } from '../engine/logging/logger';
import { workersDir } from '../engine/process/app-paths';
import { CameraRepository } from '../engine/storage/camera.repository';
import { openDatabase } from '../engine/storage/database';
import { plaintextSecretBox } from '../engine/storage/secret-box';
import { percentile } from './cli-common';

/** Debian's Chromium flags (see ../shared/environment-notes.md): headless, and no attempts to reach the internet. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface UiLatency {
  cameras: number;
  painted: number;
  /** Painted frames per second over all tiles. */
  fps: number;
  /** Frame decoded (capturedAt) -> painted in the page, ms, as the page measured it. */
  paintMs: { p50: number; p95: number; p99: number };
  /** Painted frames whose overlay was computed on the very picture shown with it. */
  overlayMatch: number;
}

interface Tile {
  paintedFrames: number;
  overlayMatches: number;
  overlayTotal: number;
  paintLatencyMs: number[];
}

/**
 * `bench --ui`: the whole app path to the officer's screen. A fresh data dir gets the model (through the models
 * CLI's import) and K file cameras, the headless host runs it, and Debian's Chromium shows the Live page; the page
 * itself records, per painted frame, the time from the frame leaving the decoder to its paint (tile-debug.ts).
 */
export async function uiLatency(o: { modelFile: string; clip: string; cameras: number; fps: number; seconds: number; log: (m: string) => void }): Promise<UiLatency> {
  const { chromium } = await import('playwright-core').catch(() => {
    throw new Error('bench --ui needs playwright-core (a dev dependency) and Chromium (WATCHROOM_CHROMIUM, default /usr/bin/chromium)');
  });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-bench-ui-'));
  const dist = workersDir();
  let host: ReturnType<typeof spawn> | null = null;
  let browser: Awaited<ReturnType<typeof chromium.launch>> | null = null;
  try {
    execFileSync(process.execPath, [path.join(dist, 'models.cjs'), 'import', o.modelFile, '--data-dir', dataDir], { stdio: ['ignore', 'ignore', 'inherit'] });
    const db = openDatabase({ dataDir, logger: nullLogger });
    try {
      const repo = new CameraRepository(db, plaintextSecretBox);
      for (let k = 0; k < o.cameras; k++) repo.insert({ name: `bench ${k}`, source: path.resolve(o.clip), rtspTransport: 'tcp', analysisFps: o.fps, enabled: true, modelId: null });
    } finally {
      db.close();
    }
    const child = spawn(process.execPath, [path.join(dist, 'headless.cjs'), '--data-dir', dataDir, '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WATCHROOM_LOG_LEVEL: 'warn' } });
    host = child;
    child.stderr!.resume();
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('the headless host printed no URL within 60 s')), 60_000);
      child.once('exit', (code) => reject(new Error(`the headless host exited (${code})`)));
      readline.createInterface({ input: child.stdout! }).on('line', (l) => {
        if (!l.startsWith(URL_LINE_PREFIX)) return;
        clearTimeout(t);
        resolve(l.slice(URL_LINE_PREFIX.length).trim());
      });
    });
    browser = await chromium.launch({ executablePath: process.env.WATCHROOM_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    // A fresh data dir has no account: the first-run form creates its administrator (a throwaway password: the
    // data dir is deleted when the bench ends).
    await page.waitForSelector('[data-testid=auth-setup]', { timeout: 30_000 });
    const password = crypto.randomBytes(18).toString('base64url');
    await page.fill('[data-testid=auth-setup] input[name=name]', 'bench');
    await page.fill('[data-testid=auth-setup] input[name=password]', password);
    await page.fill('[data-testid=auth-setup] input[name=again]', password);
    await page.click('[data-testid=auth-submit]');
    await page.waitForSelector('[data-testid=connection-status][data-state=open]', { timeout: 30_000 });
    await page.click('[data-testid=nav-live]');
    await page.waitForSelector('[data-testid=live-page]');
    o.log(`page open; waiting for ${o.cameras} tile(s) to paint overlays`);
    const tiles = () => page.evaluate(() => (globalThis as unknown as { __watchroomDebug?: { tiles: Record<string, Tile> } }).__watchroomDebug?.tiles ?? {});
    await page.waitForFunction((k) => Object.values((globalThis as unknown as { __watchroomDebug?: { tiles: Record<string, Tile> } }).__watchroomDebug?.tiles ?? {}).filter((t) => t.overlayTotal > 0).length >= k, o.cameras, { timeout: 120_000, polling: 250 });
    await new Promise((r) => setTimeout(r, 1_000));
    const before = await tiles();
    await page.evaluate(() => {
      for (const t of Object.values((globalThis as unknown as { __watchroomDebug: { tiles: Record<string, Tile> } }).__watchroomDebug.tiles)) t.paintLatencyMs.length = 0;
    });
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, o.seconds * 1000));
    const after = await tiles();
    const secs = (performance.now() - t0) / 1000;
    const ids = Object.keys(after);
    const d = (f: (t: Tile) => number) => ids.reduce((s, id) => s + f(after[id]!) - (before[id] ? f(before[id]!) : 0), 0);
    const lat = ids.flatMap((id) => after[id]!.paintLatencyMs).sort((a, b) => a - b);
    const total = d((t) => t.overlayTotal);
    return { cameras: o.cameras, painted: d((t) => t.paintedFrames), fps: d((t) => t.paintedFrames) / secs, paintMs: { p50: percentile(lat, 50), p95: percentile(lat, 95), p99: percentile(lat, 99) }, overlayMatch: total ? d((t) => t.overlayMatches) / total : 0 };
  } finally {
    await browser?.close().catch(() => undefined);
    if (host && host.exitCode === null) {
      const h = host;
      const gone = new Promise((r) => h.once('exit', r));
      h.kill('SIGTERM');
      const t = setTimeout(() => h.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(t);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
