import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_CTX } from '../auth/as-role.test-support';
import { authTestEngine } from '../auth/engine-auth.test-support';
import { nullLogger } from '../logging/logger';
import { createApiHandler } from './api-handler';
import { ApiListener } from './api-listener';

/** The desktop app's API listener (what Electron's main starts): follows the admin's setting, loopback only. */
let t: ReturnType<typeof authTestEngine>;
let listener: ApiListener;
beforeAll(() => {
  t = authTestEngine();
  listener = new ApiListener({ handler: createApiHandler({ engine: t.engine, logger: nullLogger, version: 't' }), logger: nullLogger, port: 0 });
  t.engine.integrations.onSettings((s) => void listener.sync(s.apiEnabled));
});
afterAll(async () => {
  await listener?.dispose();
  await t?.done();
});

const ok = async (r: { ok: boolean }) => expect(r.ok).toBe(true);

describe('ApiListener', () => {
  it('listens on 127.0.0.1 while the setting is on, and stops when it is turned off', async () => {
    await listener.sync(t.engine.integrations.apiEnabled());
    expect(listener.port).toBeNull();
    await ok(await t.engine.dispatch('integrations:settings-set', { apiEnabled: true }, ADMIN_CTX));
    await listener.sync(true);
    const port = listener.port!;
    expect(port).toBeGreaterThan(0);
    const made = await t.engine.dispatch('integrations:token-create', { name: 'desk', role: 'officer' }, ADMIN_CTX);
    const token = (made as { value: { secret: string } }).value.secret;
    const r = await fetch(`http://127.0.0.1:${port}/api/v1/alarms`, { headers: { Authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { data: unknown[] }).data).toEqual([]);
    // Only the API: the renderer is not served here.
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    await ok(await t.engine.dispatch('integrations:settings-set', { apiEnabled: false }, ADMIN_CTX));
    await listener.sync(false);
    expect(listener.port).toBeNull();
    await expect(fetch(`http://127.0.0.1:${port}/api/v1/alarms`)).rejects.toThrow();
  });
});
