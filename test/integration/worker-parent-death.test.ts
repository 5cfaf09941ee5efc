import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, poll } from '../support/camera-harness';
import { fixtures, repoRoot } from '../support/shared-fixtures';

// A host process runs a camera worker (through a CameraSupervisor) and the inference worker, then is
// SIGKILLed: neither worker, nor the camera's ffmpeg, may outlive it. Under both starters: the Node fork
// starter (headless host; IPC 'disconnect' plus the parent-pid watchdog) and the Electron utility-process
// starter, played by real Node processes that, like Electron's utility processes, talk through
// `process.parentPort` and are never told that their parent died (app/main/__fakes__/node-utility-process.ts).
let tmp = '';
const hosts: ChildProcess[] = [];
const leftovers: number[] = [];
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-host-'));
  const src = (p: string) => JSON.stringify(path.join(repoRoot, p));
  fs.writeFileSync(
    path.join(tmp, 'host.ts'),
    `
import fs from 'node:fs';
import { CameraSupervisor } from ${src('app/engine/camera/camera-supervisor')};
import { createNodeWorkerStarter } from ${src('app/engine/process/node-worker-starter')};
import { UtilityProcessStarter } from ${src('app/main/utility-process-starter')};
import { NodeUtilityProcessModule } from ${src('app/main/__fakes__/node-utility-process')};
import { nullLogger } from ${src('app/engine/logging/logger')};
const [kind, dir, clip, dataDir] = process.argv.slice(2);
const starter = kind === 'utility'
  ? new UtilityProcessStarter({ utilityProcess: new NodeUtilityProcessModule(), workersDir: dir, logger: nullLogger })
  : createNodeWorkerStarter({ dir });
const emptyModels = dataDir + '/models';
fs.mkdirSync(emptyModels, { recursive: true });
const inference = starter.start({ name: 'inference', entry: 'inference-worker.cjs', args: ['--data-dir', dataDir, '--models-dir', emptyModels] });
let inferenceReady = false;
inference.onMessage((m) => { if ((m as { type?: string }).type === 'ready') inferenceReady = true; });
const sup = new CameraSupervisor({ starter });
sup.apply([{ id: 'orphan-check', name: 'x', source: clip, rtspTransport: 'tcp', analysisFps: 2, enabled: true }]);
const t = setInterval(() => {
  const p = sup.processes('orphan-check');
  if (inferenceReady && sup.state('orphan-check').type === 'online' && p.workerPid && p.ffmpegPid) {
    console.log('PIDS ' + p.workerPid + ' ' + p.ffmpegPid + ' ' + inference.pid);
    clearInterval(t);
  }
}, 100);
`,
  );
  await esbuild.build({ entryPoints: [path.join(tmp, 'host.ts')], outfile: path.join(tmp, 'host.cjs'), bundle: true, platform: 'node', format: 'cjs', packages: 'external', logLevel: 'warning' });
});
afterAll(() => {
  for (const h of hosts) if (h.exitCode === null && h.signalCode === null) h.kill('SIGKILL');
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe.each(['node', 'utility'] as const)('parent death under the %s starter', (kind) => {
  it('the camera worker, its ffmpeg and the inference worker exit when the host is SIGKILLed', async () => {
    const dataDir = fs.mkdtempSync(path.join(tmp, `data-${kind}-`));
    const host = spawn(process.execPath, [path.join(tmp, 'host.cjs'), kind, path.join(repoRoot, 'dist', 'node'), fixtures.video('intel_one_by_one_person.mp4'), dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The host bundle lives in a temp folder: its packages resolve from the repository's node_modules.
      env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') },
    });
    hosts.push(host);
    let out = '';
    host.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    host.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const m = await poll('host to report pids', () => /PIDS (\d+) (\d+) (\d+)/.exec(out), 60_000, () => out.slice(-2000));
    const [worker, ffmpeg, inference] = [Number(m[1]), Number(m[2]), Number(m[3])];
    leftovers.push(worker, ffmpeg, inference);
    expect([alive(worker), alive(ffmpeg), alive(inference)]).toEqual([true, true, true]);
    host.kill('SIGKILL');
    await poll('camera worker to exit', () => !alive(worker), 20_000);
    await poll('ffmpeg to exit', () => !alive(ffmpeg), 20_000);
    await poll('inference worker to exit', () => !alive(inference), 20_000);
  });
});
