import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../../../test/support/shared-fixtures';
import type { LiveFrame } from '../../shared/domain/detection';
import type { InvokeChannel } from '../../shared/ipc/contracts';
import { nullLogger } from '../logging/logger';
import { importModel } from '../models/model-import';
import { createNodeWorkerStarter } from '../process/node-worker-starter';
import { WatchroomEngine } from './engine';
import { ADMIN_CTX } from '../auth/as-role.test-support';

// The live counting path end to end: a file camera (real ffmpeg, camera worker, inference worker with YOLOX-Nano),
// rules saved through the contract and applied to the running camera, events written to the ledger, pushed as
// events:new and rules:counters, and totals that survive an engine restart.
const ctx = ADMIN_CTX;
const dirs: string[] = [];
const engines: WatchroomEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});
const tmpDir = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
};
function engineOn(dataDir: string, modelsDir: string): WatchroomEngine {
  const e = new WatchroomEngine({ dataDir, workerStarter: createNodeWorkerStarter({ logger: nullLogger }), logger: nullLogger, hostKind: 'headless', version: 't', validateOutputs: true, modelsDir, nativeModelsDir: tmpDir('wr-native-') });
  engines.push(e);
  e.start();
  return e;
}
async function invoke<T>(engine: WatchroomEngine, channel: InvokeChannel, input?: unknown): Promise<T> {
  const r = await engine.dispatch(channel, input, ctx);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as T;
}
async function poll<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 90_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('live counting through the engine (real workers)', () => {
  it('counts the first visitor coming in over a line saved while the camera runs, and keeps the total after a restart', async () => {
    const modelsDir = tmpDir('wr-models-');
    await importModel({ file: fixtures.model('yolox_nano.onnx'), modelsDir });
    const dataDir = tmpDir('wr-count-');
    const engine = engineOn(dataDir, modelsDir);
    const pushes: { channel: string; payload: unknown }[] = [];
    engine.onPush((channel, payload) => pushes.push({ channel, payload }));
    const cam = await invoke<{ id: string }>(engine, 'cameras:add', { name: 'Lobby', source: fixtures.video('intel_one_by_one_person.mp4'), analysisFps: 5 });
    const frames: LiveFrame[] = [];
    engine.subscribeFrames(cam.id, (f) => frames.push(f));
    // Saved while the camera runs: applied without a restart. Drawn left->right, so "in" points up (people walk
    // up from the bottom edge); the first visitor comes in about 6 s into the clip.
    await invoke(engine, 'rules:save', { cameraId: cam.id, rules: [{ id: 'entry', type: 'line', points: [[0, 0.65], [1, 0.65]], anchor: 'center' }] });
    const event = await poll('events:new for the first visitor', () => pushes.find((p) => p.channel === 'events:new'));
    expect(event.payload).toMatchObject({ cameraId: cam.id, ruleId: 'entry', type: 'line.cross', direction: 'in' });
    expect(frames.some((f) => f.detections?.some((d) => d.track !== undefined))).toBe(true);
    await poll('rules:counters with the crossing', () => pushes.find((p) => p.channel === 'rules:counters' && (p.payload as { counters: Record<string, { in?: number }> }).counters.entry?.in === 1));
    const before = await invoke<Array<{ ruleId: string; in: number; out: number }>>(engine, 'counts:totals', { cameraId: cam.id });
    expect(before.find((t) => t.ruleId === 'entry')).toMatchObject({ in: 1, out: 0 });

    await engine.dispose();
    const again = engineOn(dataDir, modelsDir);
    await invoke(again, 'cameras:set-enabled', { id: cam.id, enabled: false });
    const after = await invoke<Array<{ ruleId: string; in: number; out: number }>>(again, 'counts:totals', { cameraId: cam.id });
    expect(after.find((t) => t.ruleId === 'entry')).toMatchObject({ in: 1, out: 0 });
  });
});
