import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, poll } from '../support/camera-harness';
import { fixtures, repoRoot } from '../support/shared-fixtures';

// A host process running a CameraSupervisor is SIGKILLed: its camera worker (IPC disconnect) and that
// worker's ffmpeg must not outlive it.
let tmp: string | null = null;
let host: ChildProcess | null = null;
afterAll(() => {
  if (host && host.exitCode === null) host.kill('SIGKILL');
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const HOST = `
import { CameraSupervisor } from ${JSON.stringify(path.join(repoRoot, 'app/engine/camera/camera-supervisor'))};
import { createNodeWorkerStarter } from ${JSON.stringify(path.join(repoRoot, 'app/engine/process/node-worker-starter'))};
const [dir, clip] = process.argv.slice(2);
const sup = new CameraSupervisor({ starter: createNodeWorkerStarter({ dir }) });
sup.apply([{ id: 'orphan-check', name: 'x', source: clip, rtspTransport: 'tcp', analysisFps: 2, enabled: true }]);
const t = setInterval(() => {
  const p = sup.processes('orphan-check');
  if (sup.state('orphan-check').type === 'online' && p.workerPid && p.ffmpegPid) {
    console.log('PIDS ' + p.workerPid + ' ' + p.ffmpegPid);
    clearInterval(t);
  }
}, 100);
`;

describe('parent death', () => {
  it('camera workers and their ffmpeg exit when the host is killed', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-host-'));
    fs.writeFileSync(path.join(tmp, 'host.ts'), HOST);
    await esbuild.build({ entryPoints: [path.join(tmp, 'host.ts')], outfile: path.join(tmp, 'host.cjs'), bundle: true, platform: 'node', format: 'cjs', packages: 'external', logLevel: 'warning' });
    host = spawn(process.execPath, [path.join(tmp, 'host.cjs'), path.join(repoRoot, 'dist', 'node'), fixtures.video('intel_one_by_one_person.mp4')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    host.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    host.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const m = await poll('host to report pids', () => /PIDS (\d+) (\d+)/.exec(out), 60_000, () => out.slice(-2000));
    const worker = Number(m[1]);
    const ffmpeg = Number(m[2]);
    expect(alive(worker)).toBe(true);
    expect(alive(ffmpeg)).toBe(true);
    host.kill('SIGKILL');
    await poll('worker to exit', () => !alive(worker), 20_000);
    await poll('ffmpeg to exit', () => !alive(ffmpeg), 20_000);
  });
});
