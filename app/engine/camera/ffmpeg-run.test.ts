import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FfmpegRun, type FfmpegRunEnd } from './ffmpeg-run';

const node = (code: string) => spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'ignore', 'pipe'] });

describe('FfmpegRun', () => {
  it('ends once with the exit code, after the exit; closed resolves', async () => {
    const ends: FfmpegRunEnd[] = [];
    const order: string[] = [];
    const run = new FfmpegRun(node('process.exit(3)'), (e) => (ends.push(e), order.push('end')));
    run.onExit(() => order.push('exit'));
    expect(run.pid).toBeGreaterThan(0);
    await run.closed;
    expect(ends).toEqual([{ code: 3, signal: null }]);
    expect(order).toEqual(['exit', 'end']);
  });

  it('kill() is a SIGKILL', async () => {
    const ends: FfmpegRunEnd[] = [];
    const run = new FfmpegRun(node('process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'), (e) => ends.push(e));
    run.kill();
    await run.closed;
    expect(ends).toEqual([{ code: null, signal: 'SIGKILL' }]);
  });

  it('a program that cannot be started ends once, with the spawn error', async () => {
    const ends: FfmpegRunEnd[] = [];
    const link = { spawn: (path: string) => spawn(path, [], { stdio: ['ignore', 'ignore', 'pipe'] }) };
    const run = FfmpegRun.start(link, '/nonexistent/ffmpeg', { args: [], rawFrameBytes: null, maskImage: null }, (e) => ends.push(e));
    await run.closed;
    await new Promise((r) => setTimeout(r, 50));
    expect(ends).toHaveLength(1);
    expect(ends[0]!.spawnError?.message).toMatch(/ENOENT/);
  });
});
