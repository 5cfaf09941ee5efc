import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CameraRuntime } from '../camera/camera-runtime';
import { nullLogger } from '../logging/logger';
import { openDatabase } from '../storage/database';
import { HealthService } from './health.service';
import { PushBus } from './push-bus';

const runtime = (health: () => ReturnType<CameraRuntime['health']>) => ({ health }) as unknown as CameraRuntime;

describe('HealthService', () => {
  it('reports an unanswering database and a failing runtime as unhealthy, with host metrics', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-health-'));
    const db = openDatabase({ dataDir: dir, logger: nullLogger });
    const svc = new HealthService(db, runtime(() => { throw new Error('boom'); }), new PushBus(nullLogger), nullLogger);
    const ok = svc.report();
    expect(ok.components.find((c) => c.id === 'database')?.level).toBe('healthy');
    expect(ok.components.find((c) => c.id === 'cameras')?.level).toBe('unhealthy');
    const host = ok.components.find((c) => c.id === 'host')!;
    expect(host.metrics.rssBytes).toBeGreaterThan(0);
    expect(host.metrics.pid).toBe(process.pid);
    db.close();
    const bad = svc.report();
    expect(bad.level).toBe('unhealthy');
    expect(bad.components.find((c) => c.id === 'database')).toMatchObject({ level: 'unhealthy', detail: expect.stringContaining('does not answer') });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
