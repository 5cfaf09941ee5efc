import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CameraState } from '../../shared/domain/camera';
import type { Actor } from '../../shared/domain/user';
import type { CameraRuntimeConfig } from '../camera/camera-runtime';
import { QuietCameraRuntime } from '../camera/quiet-camera-runtime.test-support';
import { MemoryAuditSink } from '../audit/audit-sink';
import { nullLogger } from '../logging/logger';
import type { WorkerStarter } from '../process/worker-starter';
import { ADMIN_CTX } from '../auth/as-role.test-support';
import { WatchroomEngine } from '../services/engine';

// Masks through the whole engine (dispatcher, SQLite, service, timers) with a recording camera runtime: what
// the running camera is told to burn in, and what reaches the audit trail.

class RecordingRuntime extends QuietCameraRuntime {
  applied: CameraRuntimeConfig[][] = [];
  override apply(c: CameraRuntimeConfig[]) {
    this.applied.push(structuredClone(c));
  }
  override state(): CameraState {
    return { type: 'online', since: 1 };
  }
  /** Mask ids the camera burns in now. */
  masksNow(): string[] {
    return (this.applied.at(-1)?.[0]?.masks ?? []).map((m) => m.id);
  }
}

const starter: WorkerStarter = { start: () => { throw new Error('no workers in this test'); } };
const supervisor: Actor = { userId: '01J0000000000000000000000S', name: 'sam.supervisor', role: 'supervisor' };
const ctx = { peer: 'test', user: supervisor };
const dirs: string[] = [];
const engines: WatchroomEngine[] = [];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(new Date('2026-03-01T10:00:00Z'));
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
  vi.useRealTimers();
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function makeEngine(dir: string, audit?: MemoryAuditSink) {
  const runtime = new RecordingRuntime();
  const engine = new WatchroomEngine({
    dataDir: dir,
    workerStarter: starter,
    logger: nullLogger,
    hostKind: 'headless',
    version: '0.1.0',
    cameraRuntimeFactory: () => runtime,
    validateOutputs: true,
    healthIntervalMs: 60_000,
    detection: false,
    nativeModelsDir: path.join(dir, 'no-native-models'),
    ...(audit ? { auditSink: audit } : {}),
    retention: { startupDelayMs: 24 * 3600_000 },
  });
  engines.push(engine);
  engine.start();
  return { engine, runtime };
}

async function ok<T>(p: Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
}

const door = { id: 'door', name: 'Neighbour door', points: [[0, 0], [0.3, 0], [0.3, 0.4], [0, 0.4]], style: 'blur' };

describe('privacy masks in the engine', () => {
  it('burns saved masks in, lifts one for a limited time, and restores it by itself, all audited', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-masks-'));
    dirs.push(dir);
    const audit = new MemoryAuditSink();
    const { engine, runtime } = makeEngine(dir, audit);
    const pushes: [string, unknown][] = [];
    engine.onPush((c, p) => pushes.push([c, p]));
    const cam = await ok<{ id: string }>(engine.dispatch('cameras:add', { name: 'Lobby', source: '/srv/lobby.mp4' }, ADMIN_CTX));

    const saved = await ok<{ masks: unknown[] }>(engine.dispatch('masks:save', { cameraId: cam.id, masks: [door] }, ctx));
    expect(saved.masks).toEqual([{ ...door, detections: 'ignore' }]);
    expect(runtime.masksNow()).toEqual(['door']);

    const lifted = await ok<{ lifts: Array<{ maskId: string; by: string; until: string }> }>(
      engine.dispatch('masks:lift', { cameraId: cam.id, maskId: 'door', minutes: 5, reason: 'Police request 4711' }, ctx),
    );
    expect(lifted.lifts).toEqual([expect.objectContaining({ maskId: 'door', by: 'sam.supervisor', until: '2026-03-01T10:05:00.000Z' })]);
    expect(runtime.masksNow()).toEqual([]);
    expect((await engine.dispatch('masks:lift', { cameraId: cam.id, maskId: 'door', minutes: 5, reason: 'again' }, ctx)).ok).toBe(false);

    vi.advanceTimersByTime(4 * 60_000);
    expect(runtime.masksNow()).toEqual([]);
    vi.advanceTimersByTime(60_000);
    expect(runtime.masksNow()).toEqual(['door']);
    expect(pushes.at(-1)).toEqual(['masks:changed', expect.objectContaining({ cameraId: cam.id, lifts: [] })]);

    const trail = audit.entries.filter((e) => e.action.startsWith('mask.'));
    expect(trail).toEqual([
      { action: 'mask.lift', actor: 'sam.supervisor', target: `camera:${cam.id}/mask:door`, detail: expect.objectContaining({ minutes: 5, reason: 'Police request 4711', until: '2026-03-01T10:05:00.000Z' }) },
      { action: 'mask.restore', actor: 'system', target: `camera:${cam.id}/mask:door`, detail: expect.objectContaining({ how: 'expired', liftedBy: 'sam.supervisor' }) },
    ]);
  });

  it('writes the lift and its automatic end to the hash-chained audit trail, which stays intact', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-masks-'));
    dirs.push(dir);
    const { engine } = makeEngine(dir);
    // The supervisor has an account (the trail records its role).
    await ok(engine.dispatch('users:create', { name: supervisor.name, role: 'supervisor', password: 'correct horse battery' }, ADMIN_CTX));
    const cam = await ok<{ id: string }>(engine.dispatch('cameras:add', { name: 'Lobby', source: '/srv/lobby.mp4' }, ADMIN_CTX));
    await ok(engine.dispatch('masks:save', { cameraId: cam.id, masks: [door] }, ctx));
    await ok(engine.dispatch('masks:lift', { cameraId: cam.id, maskId: 'door', minutes: 5, reason: 'Police request 4711' }, ctx));
    vi.advanceTimersByTime(5 * 60_000);
    const rows = await ok<Array<{ actor: string; role: string | null; action: string; target: string | null }>>(engine.dispatch('audit:list', { action: 'mask.' }, ADMIN_CTX));
    expect(rows.reverse().map((r) => [r.action, r.actor, r.role, r.target])).toEqual([
      ['mask.lift', 'sam.supervisor', 'supervisor', `camera:${cam.id}/mask:door`],
      ['mask.restore', 'system', null, `camera:${cam.id}/mask:door`],
    ]);
    expect(await ok(engine.dispatch('audit:verify', undefined, ADMIN_CTX))).toMatchObject({ state: 'intact' });
  });

  it('ends a lift that ran out while the engine was stopped, at the next start (audited), and ends one early on request', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-masks-'));
    dirs.push(dir);
    const audit = new MemoryAuditSink();
    const first = makeEngine(dir, audit);
    const cam = await ok<{ id: string }>(first.engine.dispatch('cameras:add', { name: 'Lobby', source: '/srv/lobby.mp4' }, ADMIN_CTX));
    await ok(first.engine.dispatch('masks:save', { cameraId: cam.id, masks: [door, { ...door, id: 'window', style: 'solid' }] }, ctx));
    await ok(first.engine.dispatch('masks:lift', { cameraId: cam.id, maskId: 'door', minutes: 10, reason: 'incident review' }, ctx));
    await first.engine.dispose();

    vi.setSystemTime(new Date('2026-03-01T11:00:00Z')); // stopped past the lift's end
    const second = makeEngine(dir, audit);
    expect(second.runtime.masksNow()).toEqual(['door', 'window']);
    expect(audit.entries.at(-1)).toMatchObject({ action: 'mask.restore', actor: 'system', detail: { how: 'expired-while-stopped' } });
    expect((await ok<{ lifts: unknown[] }>(second.engine.dispatch('masks:get', { cameraId: cam.id }, ctx))).lifts).toEqual([]);

    await ok(second.engine.dispatch('masks:lift', { cameraId: cam.id, maskId: 'window', minutes: 120, reason: 'maintenance' }, ctx));
    expect(second.runtime.masksNow()).toEqual(['door']);
    await ok(second.engine.dispatch('masks:restore', { cameraId: cam.id, maskId: 'window' }, ctx));
    expect(second.runtime.masksNow()).toEqual(['door', 'window']);
    expect(audit.entries.at(-1)).toMatchObject({ action: 'mask.restore', actor: 'sam.supervisor', detail: { how: 'restored' } });
  });

  it('refuses invalid masks and lifts with a clear error and changes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-masks-'));
    dirs.push(dir);
    const audit = new MemoryAuditSink();
    const { engine, runtime } = makeEngine(dir, audit);
    const cam = await ok<{ id: string }>(engine.dispatch('cameras:add', { name: 'Lobby', source: '/srv/lobby.mp4' }, ADMIN_CTX));
    await ok(engine.dispatch('masks:save', { cameraId: cam.id, masks: [door] }, ctx));
    const before = runtime.applied.length;
    const bowtie = { id: 'x', points: [[0, 0], [1, 1], [1, 0], [0, 1]] };
    const r1 = await engine.dispatch('masks:save', { cameraId: cam.id, masks: [bowtie] }, ctx);
    expect(r1).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/mask "x".*intersects itself/) } });
    const r2 = await engine.dispatch('masks:lift', { cameraId: cam.id, maskId: 'door', minutes: 121, reason: 'too long' }, ctx);
    expect(r2).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const r3 = await engine.dispatch('masks:lift', { cameraId: cam.id, maskId: 'nope', minutes: 5, reason: 'x' }, ctx);
    expect(r3).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const r4 = await engine.dispatch('masks:lift', { cameraId: cam.id, maskId: 'door', minutes: 5, reason: '   ' }, ctx);
    expect(r4).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(runtime.applied.length).toBe(before);
    expect(runtime.masksNow()).toEqual(['door']);
  });
});
