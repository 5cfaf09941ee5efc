import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../../../test/support/shared-fixtures';
import { MODEL_UPLOAD_CHUNK_BYTES, type ModelInstallProgress } from '../../shared/ipc/models.contract';
import { createUser, setupAdmin, signIn, TEST_PASSWORD, TEST_SCRYPT } from '../auth/as-role.test-support';
import { idleRuntime } from '../auth/engine-auth.test-support';
import { NO_WORKERS } from '../camera/quiet-camera-runtime.test-support';
import { nullLogger } from '../logging/logger';
import { WatchroomEngine } from '../services/engine';

/**
 * The face step uses an imported face detector as soon as it is installed, and the shipped one again once it is
 * removed: through the API with real sessions, ONNX Runtime and SQLite. The observable difference: the corridor
 * clip's woman (frame 34) is about 11 px between the eyes to BlazeFace and about 8 px to YuNet, so YuNet's
 * enrolment refuses the photo as too small where BlazeFace's accepts it (native-models/README.md, "Face models").
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

type Result = { ok: boolean; value?: unknown; error?: { code?: string; message?: string } };

describe('an imported face detector replaces the shipped one in the face step until it is removed', () => {
  it('enrolment follows the detector in use; the import and the removal are audited', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-face-swap-'));
    const e = new WatchroomEngine({ dataDir: dir, workerStarter: NO_WORKERS, logger: nullLogger, hostKind: 'headless', version: '0.0.0-test', cameraRuntimeFactory: idleRuntime, validateOutputs: true, healthIntervalMs: 60_000, detection: false, scrypt: TEST_SCRYPT });
    e.start();
    cleanups.push(async () => {
      await e.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const must = async (channel: string, input: unknown, peer: string): Promise<unknown> => {
      const r = (await e.dispatch(channel as Parameters<WatchroomEngine['dispatch']>[0], input, { peer })) as Result;
      if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
      return r.value;
    };
    const installs: ModelInstallProgress[] = [];
    e.onPush((channel, payload) => channel === 'models:install-progress' && installs.push(payload as ModelInstallProgress));
    await setupAdmin(e, 'admin', 'boss');
    await createUser(e, 'admin', 'sam', 'supervisor');
    await signIn(e, 'sup', 'sam');

    const woman = path.join(dir, 'woman.png');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', fixtures.video('intel_face_demographics_walking_preview.mp4'), '-vf', 'select=eq(n\\,34),crop=240:270:0:0', '-frames:v', '1', woman]);
    const enrol = async (): Promise<Result> => {
      await must('auth:elevate', { channel: 'faces:enrol', password: TEST_PASSWORD }, 'sup');
      return (await e.dispatch('faces:enrol', { name: 'Walker', category: 'other', expiresAt: null, photos: [fs.readFileSync(woman).toString('base64')] }, { peer: 'sup' })) as Result;
    };

    expect(await must('models:face-detector', undefined, 'admin')).toMatchObject({ source: 'shipped', family: 'blazeface' });
    expect(await enrol()).toMatchObject({ ok: true });

    const bytes = fs.readFileSync(fixtures.faces('yunet_s_640_640.onnx'));
    const { uploadId } = (await must('models:upload-begin', { fileName: 'yunet.onnx', size: bytes.length, decoder: 'face-yunet', licence: 'Apache-2.0' }, 'admin')) as { uploadId: string };
    for (let off = 0; off < bytes.length; off += MODEL_UPLOAD_CHUNK_BYTES) {
      await must('models:upload-chunk', { uploadId, offset: off, data: bytes.subarray(off, off + MODEL_UPLOAD_CHUNK_BYTES).toString('base64') }, 'admin');
    }
    await must('models:upload-finish', { uploadId }, 'admin');
    await expect.poll(() => installs.at(-1)?.state, { timeout: 30_000 }).toBe('done');
    expect(await must('models:face-detector', undefined, 'admin')).toMatchObject({ source: 'imported', family: 'yunet', licence: 'Apache-2.0', provenance: expect.stringMatching(/^uploaded from the file yunet\.onnx by boss on /) });
    expect(await enrol()).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/^Photo 1: the face is not usable: face too small \(eyes \d+\.\d px apart/) } });

    expect(await must('models:face-detector-remove', undefined, 'admin')).toMatchObject({ source: 'shipped', family: 'blazeface' });
    expect(await enrol()).toMatchObject({ ok: true });

    const audit = (await must('audit:list', { limit: 500 }, 'admin')) as Array<{ action: string; actor: string }>;
    expect(audit.filter((r) => r.action.startsWith('models:')).map((r) => [r.action, r.actor])).toEqual(expect.arrayContaining([['models:upload-finish', 'boss'], ['models:face-detector-remove', 'boss']]));
  }, 120_000);
});
