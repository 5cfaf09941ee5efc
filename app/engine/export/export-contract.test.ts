import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CameraState } from '../../shared/domain/camera';
import { QuietCameraRuntime, NO_WORKERS } from '../camera/quiet-camera-runtime.test-support';
import { nullLogger } from '../logging/logger';
import { WatchroomEngine } from '../services/engine';

/** The export contract through the engine's dispatcher: validation, admin-only changes, no secrets out. */
class QuietRuntime extends QuietCameraRuntime {
  readonly stateListeners = new Set<(id: string, s: CameraState) => void>();
  override onState(l: (id: string, s: CameraState) => void) {
    this.stateListeners.add(l);
    return { dispose: () => void this.stateListeners.delete(l) };
  }
}

const dirs: string[] = [];
const engines: WatchroomEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});
function makeEngine() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-export-contract-'));
  dirs.push(dir);
  const runtime = new QuietRuntime();
  const engine = new WatchroomEngine({ dataDir: dir, workerStarter: NO_WORKERS, logger: nullLogger, hostKind: 'headless', version: 't', cameraRuntimeFactory: () => runtime, validateOutputs: true, detection: false, nativeModelsDir: path.join(dir, 'none') });
  engines.push(engine);
  engine.start();
  return { engine, runtime };
}
const sink = { name: 'HQ', site: 'north', target: { kind: 'https', url: 'https://127.0.0.1:9/ingest', auth: 'bearer' }, secret: 'tok-123' };

describe('export contract', () => {
  it('validates input with readable messages, keeps secrets in, and lets only admins see and change sinks', async () => {
    const { engine } = makeEngine();
    const admin = { peer: 't', user: { userId: 'u2', name: 'ada', role: 'admin' as const } };
    const bad = await engine.dispatch('export:save', { ...sink, target: { kind: 'https', url: 'http://hq.example/x' } }, admin);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(JSON.stringify(bad)).toContain('https://');

    const officer = { peer: 't', user: { userId: 'u1', name: 'olga', role: 'officer' as const } };
    expect(await engine.dispatch('export:save', sink, officer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const saved = await engine.dispatch('export:save', sink, admin);
    expect(saved).toMatchObject({ ok: true, value: { name: 'HQ', secretSet: true, status: { backlog: 0 } } });
    expect(await engine.dispatch('export:list', undefined, officer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const list = await engine.dispatch('export:list', undefined, admin);
    expect(list.ok).toBe(true);
    expect(JSON.stringify(list)).not.toContain('tok-123');
    if (!saved.ok) throw new Error();
    const id = (saved.value as { id: string }).id;
    expect(await engine.dispatch('export:replay', { sinkId: id, from: 0 }, officer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await engine.dispatch('export:dead-letters', { sinkId: id }, admin)).toEqual({ ok: true, value: [] });
    expect(await engine.dispatch('export:remove', { id }, admin)).toEqual({ ok: true, value: { id } });
  });

  it('camera lifecycle changes go to the outbox as camera.status, once per state type', async () => {
    const { engine, runtime } = makeEngine();
    await engine.dispatch('export:save', { ...sink, enabled: false }, { peer: 't', user: { userId: 'u2', name: 'ada', role: 'admin' as const } });
    for (const l of runtime.stateListeners) {
      l('cam-1', { type: 'connecting', since: 1, attempt: 1 });
      l('cam-1', { type: 'online', since: 2 });
      l('cam-1', { type: 'online', since: 3 });
      l('cam-1', { type: 'offline', since: 4, reason: 'Wrong password', retryAt: null });
    }
    const rows = engine.exporter.outbox.read(0, 10);
    expect(rows.map((r) => [r.type, r.cameraId, r.data.state])).toEqual([
      ['camera.status', 'cam-1', 'connecting'],
      ['camera.status', 'cam-1', 'online'],
      ['camera.status', 'cam-1', 'offline'],
    ]);
    expect(rows[2]!.data.reason).toBe('Wrong password');
  });
});
