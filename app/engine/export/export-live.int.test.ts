import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../../../test/support/export-harness';
import { makeTestPki, sleep, startHttpsReceiver } from '../../../test/support/export-servers';
import { fixtures } from '../../../test/support/shared-fixtures';
import type { LiveFrame } from '../../shared/domain/detection';
import type { ExportSinkView } from '../../shared/domain/export';
import type { InvokeChannel } from '../../shared/ipc/contracts';
import type { LedgerEventInput } from '../ledger/ledger.repository';
import { nullLogger } from '../logging/logger';
import { importModel } from '../models/model-import';
import { createNodeWorkerStarter } from '../process/node-worker-starter';
import { ADMIN_CTX } from '../auth/as-role.test-support';
import { WatchroomEngine } from '../services/engine';

/**
 * Through the engine and its contract: a real file camera analysed by YOLOX-Nano keeps its frame rate while a
 * flapping HTTPS sink drains a 20 000-event backlog; the camera's status changes are exported too.
 */
const dirs: string[] = [];
afterAll(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tmpDir = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
};
const ctx = ADMIN_CTX;
async function invoke<T>(engine: WatchroomEngine, channel: InvokeChannel, input?: unknown): Promise<T> {
  const r = await engine.dispatch(channel, input, ctx);
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as T;
}

describe('export beside live analysis', () => {
  it('a flapping sink draining a backlog does not slow the camera: analysed frames keep coming at its fps', async () => {
    const pki = makeTestPki();
    const rx = await startHttpsReceiver({ pki });
    rx.delayMs = 150; // so the drain spans the flapping
    const modelsDir = tmpDir('wr-models-');
    await importModel({ file: fixtures.model('yolox_nano.onnx'), modelsDir });
    const engine = new WatchroomEngine({ dataDir: tmpDir('wr-live-export-'), workerStarter: createNodeWorkerStarter({ logger: nullLogger }), logger: nullLogger, hostKind: 'headless', version: 't', validateOutputs: true, modelsDir, nativeModelsDir: tmpDir('wr-native-'), exportOptions: { idleMs: 100, baseBackoffMs: 100 } });
    engine.start();
    try {
      const sink = await invoke<ExportSinkView>(engine, 'export:save', { name: 'hq', site: 'lobby', enabled: false, target: { kind: 'https', url: rx.url, caPem: pki.caPem }, tuning: { timeoutMs: 1000, failureThreshold: 2, maxBackoffMs: 1000 } });
      // A backlog, written through the ledger's own path (and its outbox hook).
      let frameMs = Date.now() - 3 * 86_400_000;
      for (let i = 0; i < 20; i++) {
        const batch: LedgerEventInput[] = Array.from({ length: 1000 }, (_, j) => ({ cameraId: 'old-cam', ruleId: 'door', trackId: i * 1000 + j, cls: 'person', type: 'line.cross', direction: 'in', confidence: 0.9, frameMs: (frameMs += 50), source: 'live' }));
        engine.events.ledger.append(batch);
      }
      const cam = await invoke<{ id: string }>(engine, 'cameras:add', { name: 'Lobby', source: fixtures.video('intel_one_by_one_person.mp4'), analysisFps: 5 });
      const frames: LiveFrame[] = [];
      engine.subscribeFrames(cam.id, (f) => frames.push(f));
      await until('camera analysing', () => frames.filter((f) => f.detections).length >= 5, 90_000);
      await invoke(engine, 'export:save', { ...sink, enabled: true, secret: undefined });
      const startFrames = frames.length;
      const t0 = Date.now();
      // Flap the receiver for ~12 s while the backlog drains.
      for (let flap = 0; flap < 4; flap++) {
        await sleep(1500);
        await rx.down();
        await sleep(1500);
        await rx.up();
      }
      const seconds = (Date.now() - t0) / 1000;
      const got = frames.length - startFrames;
      const list = await invoke<{ sinks: ExportSinkView[] }>(engine, 'export:list');
      console.log(`[export] live: ${got} frames in ${seconds.toFixed(1)} s at 5 fps while a flapping sink drained (${rx.events.size} of 20000+ delivered so far, breaker ${list.sinks[0]!.status.breaker})`);
      // Generous: at least 60 % of the camera's 5 fps (a starved event loop would stall frame delivery).
      expect(got).toBeGreaterThanOrEqual(Math.floor(seconds * 5 * 0.6));
      await until('backlog drained', () => rx.events.size >= 20_001, 120_000, () => `${rx.events.size}`);
      const status = [...rx.events.values()].filter((e) => e.type === 'camera.status' && e.cameraId === cam.id);
      expect(status.map((e) => e.data.state)).toContain('online');
      const health = await invoke<{ components: { id: string; level: string }[] }>(engine, 'health:get');
      expect(health.components.find((c) => c.id === `export:${sink.id}`)).toBeDefined();
    } finally {
      await engine.dispose();
      await rx.close();
    }
  });
});
