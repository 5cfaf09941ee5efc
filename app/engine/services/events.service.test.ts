import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../../shared/domain/analytics';
import type { CameraState } from '../../shared/domain/camera';
import type { CameraRuntime } from '../camera/camera-runtime';
import { TrackRecorder } from '../ledger/track-store';
import { nullLogger } from '../logging/logger';
import { personBox } from '../rules/synthetic.test-support';
import type { TrackedObject } from '../tracking/byte-tracker';
import { WatchroomEngine } from './engine';
import { ADMIN_CTX } from '../auth/as-role.test-support';
import { NO_WORKERS } from '../camera/quiet-camera-runtime.test-support';

const idleRuntime: CameraRuntime = {
  apply: () => undefined,
  state: (): CameraState => ({ type: 'disabled' }),
  onState: () => ({ dispose: () => undefined }),
  onFrame: () => ({ dispose: () => undefined }),
  onAnalytics: () => ({ dispose: () => undefined }),
  onTracks: () => ({ dispose: () => undefined }),
  setRules: () => undefined,
  health: () => [],
  dispose: async () => undefined,
};
const dirs: string[] = [];
const engines: WatchroomEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});
function makeEngine(dataDir?: string) {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wr-events-'));
  if (!dataDir) dirs.push(dir);
  const engine = new WatchroomEngine({ dataDir: dir, workerStarter: NO_WORKERS, logger: nullLogger, hostKind: 'headless', version: '0.1.0', cameraRuntimeFactory: () => idleRuntime, validateOutputs: true, healthIntervalMs: 60_000 });
  engines.push(engine);
  engine.start();
  return { engine, dir };
}
const ctx = ADMIN_CTX;
const T = Date.UTC(2026, 10, 23, 10, 0);
const crossing = (track: number, dir: 'in' | 'out'): AnalyticsEvent => ({ type: 'line.cross', rule: 'door', dir, track, t: 1, cls: 'person', score: 0.9, box: [0.4, 0.3, 0.6, 0.9] });
const jpg = jpeg.encode({ data: Buffer.alloc(64 * 48 * 4, 80), width: 64, height: 48 }, 80).data;

async function addCamera(engine: WatchroomEngine): Promise<string> {
  const r = await engine.dispatch('cameras:add', { name: 'Door', source: '/v/door.mp4', enabled: false }, ctx);
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { id: string }).id;
}

describe('events service through the dispatcher', () => {
  it('records live events (push + snapshot), lists, voids and corrects with clear refusals', async () => {
    const { engine, dir } = makeEngine();
    const cameraId = await addCamera(engine);
    const pushed: unknown[] = [];
    engine.onPush((e, p) => e === 'events:new' && pushed.push(p));
    const rows = engine.events.recordLive({ cameraId, events: [crossing(1, 'in'), crossing(2, 'in'), crossing(3, 'out')], frameMs: T, modelId: 'yolo', jpeg: jpg });
    expect(rows).toHaveLength(3);
    expect(pushed).toHaveLength(3);
    expect(engine.events.recordLive({ cameraId, events: [crossing(1, 'in')], frameMs: T, modelId: 'yolo' })).toEqual([]); // same event again
    const snap = path.join(dir, 'snapshots', rows[0]!.snapshot!);
    for (let i = 0; i < 100 && !fs.existsSync(snap); i++) await new Promise((r) => setTimeout(r, 20));
    expect(fs.existsSync(snap)).toBe(true);

    const p1 = await engine.dispatch('events:list', { cameraId, limit: 2 }, ctx);
    expect(p1).toMatchObject({ ok: true, value: { rows: [{ ruleId: 'door' }, { ruleId: 'door' }] } });
    if (!p1.ok) throw new Error();
    const { nextCursor } = p1.value as { nextCursor: string };
    const p2 = await engine.dispatch('events:list', { cameraId, limit: 2, cursor: nextCursor }, ctx);
    expect(p2).toMatchObject({ ok: true, value: { rows: [{}], nextCursor: null } });

    const id = rows[0]!.id;
    const before = await engine.dispatch('counts:totals', { cameraId, to: T + 1000 }, ctx);
    expect(before).toEqual({ ok: true, value: [{ cameraId, ruleId: 'door', in: 2, out: 1, enter: 0, exit: 0, occupancy: 0, alarms: 0 }] });
    expect(await engine.dispatch('events:void', { eventId: id, reason: '  ' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'Give a reason.' } });
    expect(await engine.dispatch('events:void', { eventId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', reason: 'x' }, ctx)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await engine.dispatch('counts:totals', { cameraId, to: T + 1000 }, ctx)).toEqual(before); // nothing changed
    expect(await engine.dispatch('events:void', { eventId: id, reason: 'a reflection' }, ctx)).toMatchObject({ ok: true, value: { id, voided: true } });
    expect(await engine.dispatch('events:void', { eventId: id, reason: 'again' }, ctx)).toMatchObject({ ok: false, error: { code: 'conflict', message: 'This event has already been voided.' } });
    const out = rows.find((r) => r.direction === 'out')!;
    expect(await engine.dispatch('events:correct', { eventId: out.id, reason: 'x' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await engine.dispatch('events:correct', { eventId: out.id, reason: 'walked in', direction: 'in' }, ctx)).toMatchObject({ ok: true, value: { direction: 'in', originalDirection: 'out', corrected: true } });
    const after = await engine.dispatch('counts:totals', { cameraId, to: T + 1000 }, ctx);
    expect(after).toMatchObject({ ok: true, value: [{ in: 2, out: 0 }] });
    const listed = await engine.dispatch('events:list', { cameraId }, ctx);
    expect(listed.ok && (listed.value as { rows: Array<{ id: string; voided: boolean }> }).rows.find((r) => r.id === id)!.voided).toBe(true);

    // A restart of the app gives the same totals.
    await engine.dispose();
    const { engine: again } = makeEngine(dir);
    expect(await again.dispatch('counts:totals', { cameraId, to: T + 1000 }, ctx)).toEqual(after);
  });

  it('dry-runs a rule over the last 24 hours of stored tracks, with quality warnings', async () => {
    const { engine } = makeEngine();
    const cameraId = await addCamera(engine);
    const rec = new TrackRecorder(cameraId);
    const start = Date.now() - 3_600_000;
    const obj = (id: number, y: number): TrackedObject => {
      const box = personBox(0.3 + id * 0.2, y);
      return { id, cls: 'person', classId: 0, box, score: 0.9, confirmed: true, predicted: false, stationary: false, moved: true, velocity: [0, 0], detection: 0, born: 0, firstBox: box };
    };
    for (let f = 0; f < 40; f++) engine.events.recordTracks(rec.observe([obj(1, 0.75 - f * 0.015), obj(2, 0.2 + f * 0.015)], start + f * 100));
    engine.events.recordTracks(rec.flush());
    const rule = { id: 'new', type: 'line', points: [[0.05, 0.5], [0.95, 0.5]] };
    const r = await engine.dispatch('rules:dry-run', { cameraId, rule }, ctx);
    expect(r).toMatchObject({ ok: true, value: { in: 1, out: 1, enter: 0, exit: 0, alarms: 0, tracks: 2, warnings: [] } });
    const edge = await engine.dispatch('rules:dry-run', { cameraId, rule: { ...rule, points: [[0.05, 0.99], [0.95, 0.99]] } }, ctx);
    expect(edge.ok && (edge.value as { warnings: Array<{ code: string }> }).warnings.map((w) => w.code)).toContain('line-near-edge');
    expect(await engine.dispatch('rules:dry-run', { cameraId: 'nope', rule }, ctx)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await engine.dispatch('rules:dry-run', { cameraId, rule: { ...rule, points: [[0.1, 0.1]] } }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
