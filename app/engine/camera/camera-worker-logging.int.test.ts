import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileLogger, type FileLogger } from '../logging/file-logger';
import { createNodeWorkerStarter } from '../process/node-worker-starter';
import { CameraSupervisor } from './camera-supervisor';

// A real camera worker (dist/node/camera-worker.cjs) and a real ffmpeg, pointed at a camera that refuses the
// connection (port 9 on loopback), its password in the address.
const PASSWORD = 'S3cretPw9';
let dataDir = '';
let logger: FileLogger | null = null;
let sup: CameraSupervisor | null = null;
afterEach(async () => {
  await sup?.dispose();
  logger?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const until = async (what: () => boolean, label: string) => {
  for (let i = 0; i < 600 && !what(); i++) await new Promise((r) => setTimeout(r, 100));
  if (!what()) throw new Error(`timed out waiting for ${label}`);
};

describe('camera worker logging', () => {
  it('goes through the one logger (the host log file) with the camera named, and the password never appears', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-worker-log-'));
    logger = createFileLogger({ dataDir, mirrorToStderr: false });
    sup = new CameraSupervisor({
      starter: createNodeWorkerStarter({ logger }),
      logger,
      worker: { backoffInitialMs: 200, backoffMaxMs: 400, connectTimeoutMs: 5_000 },
    });
    sup.apply([{ id: 'gate', name: 'Gate', source: `rtsp://admin:${PASSWORD}@127.0.0.1:9/stream`, rtspTransport: 'tcp', analysisFps: 5, enabled: true }]);
    const text = () => (fs.existsSync(logger!.file) ? fs.readFileSync(logger!.file, 'utf8') : '');
    await until(() => text().includes('ffmpeg exited'), 'the worker to log the failed connection');

    const lines = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const starting = lines.find((l) => String(l.msg).startsWith('starting ffmpeg'));
    expect(starting).toMatchObject({ level: 'info', camera: 'gate', component: 'camera-supervisor', msg: expect.stringContaining('rtsp://admin:***@127.0.0.1:9/stream') });
    expect(lines.find((l) => String(l.msg).startsWith('ffmpeg exited'))).toMatchObject({ level: 'warn', camera: 'gate' });
    expect(text()).not.toContain(PASSWORD);
  });
});
