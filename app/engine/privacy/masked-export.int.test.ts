import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { afterEach, describe, expect, it } from 'vitest';
import { pdfImageBoxes, pdfPagePixels } from '../../../test/support/pdf-pixels';
import { fixtures } from '../../../test/support/shared-fixtures';
import type { LiveFrame } from '../../shared/domain/detection';
import type { ExportProgress } from '../../shared/domain/reports';
import type { Actor } from '../../shared/domain/user';
import type { InvokeChannel } from '../../shared/ipc/contracts';
import { MemoryAuditSink } from '../audit/audit-sink';
import { nullLogger } from '../logging/logger';
import { createNodeWorkerStarter } from '../process/node-worker-starter';
import { WatchroomEngine } from '../services/engine';

// A masked camera through the real engine (camera worker + ffmpeg): the live frames, the event snapshot written
// from them, and the report PDF exported through reports:export (with that snapshot among its alarm snapshots) all
// show the mask burned in, checked on the pixels. A lift shows the picture again; a restore hides it again; both
// are in the audit trail.

const supervisor: Actor = { userId: '01J0000000000000000000000S', name: 'sam.supervisor', role: 'supervisor' };
const ctx = { peer: 'test', user: supervisor };
/** Adding a camera is the administrator's (cameras:add); masks, lifts and report exports are the supervisor's. */
const adminCtx = { peer: 'test', user: { userId: '01J0000000000000000000000A', name: 'ada.admin', role: 'admin' } satisfies Actor };
const dirs: string[] = [];
const engines: WatchroomEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});
async function invoke<T>(engine: WatchroomEngine, channel: InvokeChannel, input?: unknown, as: typeof ctx = ctx): Promise<T> {
  const r = await engine.dispatch(channel, input, as);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as T;
}
async function poll<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Max and mean luma of the pixels of an RGB(A) image inside a pixel rectangle (inset by 3 px). */
function stats(img: { width: number; data: Uint8Array }, channels: 3 | 4, x0: number, y0: number, x1: number, y1: number): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  let n = 0;
  for (let y = Math.ceil(y0) + 3; y < Math.floor(y1) - 3; y++) {
    for (let x = Math.ceil(x0) + 3; x < Math.floor(x1) - 3; x++) {
      const i = (y * img.width + x) * channels;
      const v = 0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!;
      max = Math.max(max, v);
      sum += v;
      n++;
    }
  }
  return { max, mean: sum / n };
}
const leftQuarter = (j: Uint8Array) => {
  const img = jpeg.decode(j, { useTArray: true, formatAsRGBA: true });
  return { left: stats(img, 4, 0, 0, img.width * 0.25, img.height), rest: stats(img, 4, img.width * 0.3, 0, img.width, img.height) };
};

describe('a masked camera through the engine', () => {
  it('burns the mask into live frames, the event snapshot and a PDF of it; a lift and a restore are live and audited', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-masked-'));
    dirs.push(dataDir);
    const audit = new MemoryAuditSink();
    const engine = new WatchroomEngine({
      dataDir,
      workerStarter: createNodeWorkerStarter({ logger: nullLogger }),
      logger: nullLogger,
      hostKind: 'headless',
      version: 't',
      validateOutputs: true,
      detection: false,
      nativeModelsDir: path.join(dataDir, 'no-native-models'),
      auditSink: audit,
      retention: { startupDelayMs: 3600_000 },
    });
    engines.push(engine);
    engine.start();
    const cam = await invoke<{ id: string }>(engine, 'cameras:add', { name: 'Street', source: fixtures.video('intel_face_demographics_walking_preview.mp4'), analysisFps: 5 }, adminCtx);
    const frames: LiveFrame[] = [];
    engine.subscribeFrames(cam.id, (f) => frames.push(f));
    await poll('an unmasked frame', () => frames.length >= 1);
    expect(leftQuarter(frames[0]!.jpeg).left.mean).toBeGreaterThan(40);

    // Saved while the camera runs: burned in from the next ffmpeg start on (the worker stays).
    await invoke(engine, 'masks:save', { cameraId: cam.id, masks: [{ id: 'left', points: [[0, 0], [0.25, 0], [0.25, 1], [0, 1]], style: 'solid' }] });
    const maskedFrame = await poll('a masked frame', () => frames.find((f, i) => i > 0 && leftQuarter(f.jpeg).left.max < 24));
    const after = frames.indexOf(maskedFrame);
    await poll('more frames', () => frames.length >= after + 3);
    for (const f of frames.slice(after)) expect(leftQuarter(f.jpeg).left.max).toBeLessThan(24);

    // An event on a masked frame: its snapshot (the source of report and export images) is masked.
    const frameMs = Date.now();
    const [row] = engine.events.recordLive({
      cameraId: cam.id,
      frameMs,
      modelId: null,
      jpeg: maskedFrame.jpeg,
      events: [{ type: 'zone.intrusion', rule: 'yard', track: 1, t: 1, cls: 'person', score: 0.9, box: [0.4, 0.3, 0.6, 0.9] }],
    });
    await engine.events.idle();
    const snapshot = fs.readFileSync(path.join(dataDir, 'snapshots', row!.snapshot!));
    const snap = leftQuarter(snapshot);
    expect(snap.left.max).toBeLessThan(24);
    expect(snap.rest.mean).toBeGreaterThan(40);

    // ... and so is the report PDF of the period holding the event, exported as the app does (reports:export; the
    // report's alarm snapshots come from the stored snapshot files). pdftoppm rasterises the page with the snapshot.
    const progress: ExportProgress[] = [];
    const off = engine.onPush((ch, p) => ch === 'reports:progress' && progress.push(p as ExportProgress));
    const { exportId } = await invoke<{ exportId: string }>(engine, 'reports:export', {
      request: { type: 'custom', from: new Date(frameMs - 3600_000).toISOString(), to: new Date(frameMs + 3600_000).toISOString(), cameraId: cam.id },
      format: 'pdf',
    });
    const done = await poll('the report export', () => progress.find((p) => p.exportId === exportId && p.state !== 'running'));
    off.dispose();
    expect(done).toMatchObject({ state: 'done' });
    const pdf = fs.readFileSync(done.file!);
    const images = pdfImageBoxes(pdf);
    expect(images).toHaveLength(1); // the event's snapshot (charts are vector)
    const box = images[0]!;
    expect(box.w).toBeGreaterThan(150);
    const page = pdfPagePixels(pdf, box.page, 72);
    const s = page.scale;
    expect(stats(page, 3, box.x * s, box.y * s, (box.x + box.w * 0.25) * s, (box.y + box.h) * s).max).toBeLessThan(32);
    expect(stats(page, 3, (box.x + box.w * 0.3) * s, box.y * s, (box.x + box.w) * s, (box.y + box.h) * s).mean).toBeGreaterThan(40);

    // A lift shows the picture again, a restore hides it again, both audited with the actor.
    await invoke(engine, 'masks:lift', { cameraId: cam.id, maskId: 'left', minutes: 1, reason: 'identify the courier' });
    const liftedAt = frames.length;
    await poll('an unmasked frame after the lift', () => frames.slice(liftedAt).find((f) => leftQuarter(f.jpeg).left.mean > 40));
    await invoke(engine, 'masks:restore', { cameraId: cam.id, maskId: 'left' });
    const restoredAt = frames.length;
    const first = await poll('a masked frame after the restore', () => frames.slice(restoredAt).find((f) => leftQuarter(f.jpeg).left.max < 24));
    const from = frames.indexOf(first);
    await poll('more frames', () => frames.length >= from + 3);
    for (const f of frames.slice(from)) expect(leftQuarter(f.jpeg).left.max).toBeLessThan(24);
    expect(audit.entries.filter((e) => e.action.startsWith('mask')).map((e) => [e.action, e.actor])).toEqual([
      ['masks.save', 'sam.supervisor'],
      ['mask.lift', 'sam.supervisor'],
      ['mask.restore', 'sam.supervisor'],
    ]);
  });
});
