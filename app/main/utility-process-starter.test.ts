import { describe, expect, it } from 'vitest';
import type { Logger } from '../engine/logging/logger';
import { nullLogger } from '../engine/logging/logger';
import { FakeUtilityProcessModule } from './__fakes__/electron';
import { UtilityProcessStarter } from './utility-process-starter';

function setup(logger: Logger = nullLogger) {
  const mod = new FakeUtilityProcessModule();
  const starter = new UtilityProcessStarter({ utilityProcess: mod, workersDir: '/app/dist/node', logger });
  return { mod, starter };
}

describe('UtilityProcessStarter', () => {
  it('forks the worker bundle as a named utility process and relays messages', () => {
    const { mod, starter } = setup();
    const h = starter.start({ name: 'camera:abc', entry: 'camera-worker.cjs', args: ['--x'], env: { A: '1' } });
    const p = mod.forked[0]!;
    expect(p.modulePath).toBe('/app/dist/node/camera-worker.cjs');
    expect(p.args).toEqual(['--x']);
    expect(p.options).toMatchObject({ serviceName: 'Watchroom camera:abc', stdio: 'pipe', env: expect.objectContaining({ A: '1' }) });
    // the worker watches the main process's pid: a utility process's parentPort never reports its death
    expect(p.options.env).toMatchObject({ WATCHROOM_PARENT_PID: String(process.pid) });
    expect(h.pid).toBe(p.pid);
    const got: unknown[] = [];
    h.onMessage((m) => got.push(m));
    p.emit('message', { type: 'hello' });
    h.send({ type: 'config' });
    expect(got).toEqual([{ type: 'hello' }]);
    expect(p.messages).toEqual([{ type: 'config' }]);
  });

  it('reports an unexpected exit as a crash, and ignores sends afterwards', async () => {
    const { mod, starter } = setup();
    const h = starter.start({ name: 'w', entry: 'w.cjs' });
    const exits: unknown[] = [];
    h.onExit((e) => exits.push(e));
    mod.forked[0]!.exit(1);
    expect(exits).toEqual([{ code: 1, signal: null, crashed: true }]);
    h.send({ late: true });
    expect(mod.forked[0]!.messages).toEqual([]);
    const late = await new Promise((r) => h.onExit(r));
    expect(late).toEqual({ code: 1, signal: null, crashed: true });
    expect(starter.liveCount).toBe(0);
  });

  it('stop() asks nicely; a clean exit is not a crash; a stuck worker is killed after the grace period', async () => {
    const { mod, starter } = setup();
    const nice = starter.start({ name: 'nice', entry: 'w.cjs' });
    const p1 = mod.forked[0]!;
    const stopped = nice.stop(10_000);
    expect(p1.messages).toEqual([{ type: 'shutdown' }]);
    p1.exit(0);
    expect(await stopped).toEqual({ code: 0, signal: null, crashed: false });

    const stuck = starter.start({ name: 'stuck', entry: 'w.cjs' });
    const e = await stuck.stop(20);
    expect(mod.forked[1]!.killed).toBe(true);
    expect(e.crashed).toBe(true);
  });

  it('kills every live worker on quit and logs worker output', async () => {
    const lines: string[] = [];
    const logger: Logger = { ...nullLogger, info: (m) => lines.push(m), warn: (m) => lines.push(m), child: () => logger };
    const { mod, starter } = setup(logger);
    starter.start({ name: 'a', entry: 'w.cjs' });
    starter.start({ name: 'b', entry: 'w.cjs' });
    mod.forked[0]!.stdout.write('ready\n');
    mod.forked[1]!.stderr.write('oops\n');
    starter.killAll();
    expect(mod.forked.every((p) => p.killed)).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(starter.liveCount).toBe(0);
    expect(lines).toEqual(expect.arrayContaining(['ready', 'oops']));
  });
});
