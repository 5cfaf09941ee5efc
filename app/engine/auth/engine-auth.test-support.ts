import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CameraRuntime } from '../camera/camera-runtime';
import { nullLogger, type Logger } from '../logging/logger';
import { WatchroomEngine } from '../services/engine';
import { TEST_SCRYPT } from './as-role.test-support';
import { NO_WORKERS } from '../camera/quiet-camera-runtime.test-support';

/** A camera runtime that runs nothing (auth and audit tests need no workers). */
export const idleRuntime = (): CameraRuntime => ({
  apply() {},
  state: () => ({ type: 'disabled' }),
  onState: () => ({ dispose() {} }),
  onFrame: () => ({ dispose() {} }),
  onAnalytics: () => ({ dispose() {} }),
  onTracks: () => ({ dispose() {} }),
  setRules() {},
  health: () => [],
  dispose: async () => {},
});


/** A started engine on a fresh data dir with no detection and a controllable auth clock; `done()` disposes and removes it. */
export function authTestEngine(opts: { clock?: { now: number }; dataDir?: string; logger?: Logger } = {}) {
  const dir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wr-auth-'));
  const clock = opts.clock;
  const engine = new WatchroomEngine({
    dataDir: dir,
    workerStarter: NO_WORKERS,
    logger: opts.logger ?? nullLogger,
    hostKind: 'headless',
    version: '0.0.0-test',
    cameraRuntimeFactory: idleRuntime,
    validateOutputs: true,
    healthIntervalMs: 60_000,
    nativeModelsDir: path.join(dir, 'no-native-models'),
    detection: false,
    scrypt: TEST_SCRYPT,
    ...(clock ? { authClock: () => clock.now } : {}),
  });
  engine.start();
  return {
    engine,
    dir,
    done: async () => {
      await engine.dispose();
      if (!opts.dataDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
