import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../../../test/support/shared-fixtures';
import { createUser, setupAdmin, signIn, TEST_PASSWORD, TEST_SCRYPT } from '../auth/as-role.test-support';
import { idleRuntime } from '../auth/engine-auth.test-support';
import { NO_WORKERS } from '../camera/quiet-camera-runtime.test-support';
import { nullLogger } from '../logging/logger';
import { WatchroomEngine } from '../services/engine';

/**
 * Enrolment through the API with real sessions, the shipped face models (ONNX Runtime) and SQLite: the four-eyes
 * rule, and photos the supervisor must replace, each refused with a plain message.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

type Result = { ok: boolean; value?: unknown; error?: { code?: string; message?: string; details?: unknown } };
const b64 = (file: string) => fs.readFileSync(file).toString('base64');
const photo = (person: string, file: string) => b64(fixtures.faces('identities', person, file));

function engine(): WatchroomEngine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-faces-api-'));
  const e = new WatchroomEngine({ dataDir: dir, workerStarter: NO_WORKERS, logger: nullLogger, hostKind: 'headless', version: '0.0.0-test', cameraRuntimeFactory: idleRuntime, validateOutputs: true, healthIntervalMs: 60_000, detection: false, scrypt: TEST_SCRYPT });
  e.start();
  cleanups.push(async () => {
    await e.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return e;
}

async function must(e: WatchroomEngine, channel: string, input: unknown, peer: string): Promise<unknown> {
  const r = (await e.dispatch(channel as Parameters<WatchroomEngine['dispatch']>[0], input, { peer })) as Result;
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.value;
}

describe('faces:enrol through the API', () => {
  it('under the four-eyes rule it needs a second user; bad photos are refused with a plain message and nothing stored', async () => {
    const e = engine();
    await setupAdmin(e, 'admin', 'boss');
    await createUser(e, 'admin', 'sam', 'supervisor');
    await signIn(e, 'sup', 'sam');
    const enrol = (photos: string[]) => ({ name: 'Lisa', category: 'banned', expiresAt: null, photos });

    // Bad photos (password given each time): no face, two faces, a corrupt file.
    const refused = async (photos: string[]) => {
      await must(e, 'auth:elevate', { channel: 'faces:enrol', password: TEST_PASSWORD }, 'sup');
      const r = (await e.dispatch('faces:enrol', enrol(photos), { peer: 'sup' })) as Result;
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      return r.error!.message!;
    };
    expect(await refused([b64(fixtures.image('darknet_kite.jpg'))])).toMatch(/^Photo 1: (no face found in the photo|the face is not usable: .+)$/);
    expect(await refused([b64(fixtures.image('intel_head_pose_two_faces.png'))])).toBe('Photo 1: the photo shows 2 faces; use a photo of this person alone');
    expect(await refused([photo('lisa', '1.jpg'), Buffer.from('not a picture').toString('base64')])).toBe('Photo 2 is not a readable picture');
    expect(((await must(e, 'faces:list', undefined, 'sup')) as { entries: unknown[] }).entries).toEqual([]);

    // The four-eyes rule for enrolment: the supervisor's password alone is not enough.
    await must(e, 'auth:elevate', { channel: 'auth:set-policy', password: TEST_PASSWORD }, 'admin');
    await must(e, 'auth:set-policy', { idleLockMinutes: 10, fourEyes: ['faces:enrol'] }, 'admin');
    expect(await e.dispatch('auth:elevate', { channel: 'faces:enrol', password: TEST_PASSWORD }, { peer: 'sup' })).toMatchObject({ ok: false, error: { details: { confirm: 'four-eyes' } } });
    expect(await e.dispatch('faces:enrol', enrol([photo('lisa', '1.jpg')]), { peer: 'sup' })).toMatchObject({ ok: false, error: { details: { confirm: 'four-eyes' } } });
    await must(e, 'auth:elevate', { channel: 'faces:enrol', password: TEST_PASSWORD, approver: { name: 'boss', password: TEST_PASSWORD } }, 'sup');
    expect(await must(e, 'faces:enrol', enrol([photo('lisa', '1.jpg')]), 'sup')).toMatchObject({ name: 'Lisa', category: 'banned', enrolledBy: 'sam', approvedBy: 'boss', photos: 1 });
    const audit = (await must(e, 'audit:list', { limit: 500 }, 'admin')) as Array<{ action: string; actor: string; detail: { approver?: string; input?: unknown } | null }>;
    // The trail names both users; the enrolled name and photos stay out of it (they are sealed in the watchlist).
    expect(audit.filter((r) => r.action === 'faces:enrol').map((r) => [r.actor, r.detail?.approver ?? null, r.detail?.input])).toEqual([['sam', 'boss', { category: 'banned', expiresAt: null, photos: 1 }]]);
    expect(JSON.stringify(audit)).not.toContain('Lisa');
  }, 120_000);
});
