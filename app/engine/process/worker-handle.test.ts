import { describe, expect, it } from 'vitest';
import { buildWorkerHandle, workerEnvironment } from './worker-handle';
import { PARENT_PID_ENV } from './parent-port';

function fakeProcess() {
  const posted: unknown[] = [];
  const errors: { msg: string; fields?: Record<string, unknown> }[] = [];
  let kills = 0;
  const built = buildWorkerHandle({
    name: 'w',
    pid: () => 42,
    post: (m) => void posted.push(m),
    kill: () => void kills++,
    log: { error: (msg, fields) => void errors.push({ msg, fields }) },
  });
  return { ...built, posted, errors, kills: () => kills };
}

describe('buildWorkerHandle (both starters)', () => {
  it('relays messages both ways; a throwing listener is logged and the others still get the message', () => {
    const p = fakeProcess();
    const got: unknown[] = [];
    p.handle.onMessage(() => {
      throw new Error('boom');
    });
    p.handle.onMessage((m) => got.push(m));
    p.received({ type: 'hello' });
    p.handle.send({ type: 'config' });
    expect(got).toEqual([{ type: 'hello' }]);
    expect(p.posted).toEqual([{ type: 'config' }]);
    expect(p.errors.map((e) => e.msg)).toEqual(['worker w message listener failed']);
    expect(p.handle.pid).toBe(42);
  });

  it('an exit without stop() is a crash; told once, sends dropped afterwards, late listeners still told', async () => {
    const p = fakeProcess();
    const exits: unknown[] = [];
    p.handle.onExit((e) => exits.push(e));
    expect(p.exited(1, null)).toEqual({ code: 1, signal: null, crashed: true });
    expect(p.exited(0, null)).toBeNull();
    expect(exits).toEqual([{ code: 1, signal: null, crashed: true }]);
    p.handle.send({ late: true });
    p.handle.kill();
    expect(p.posted).toEqual([]);
    expect(p.kills()).toBe(0);
    expect(await new Promise((r) => p.handle.onExit(r))).toEqual({ code: 1, signal: null, crashed: true });
    expect(await p.handle.stop()).toEqual({ code: 1, signal: null, crashed: true });
  });

  it('stop() asks nicely: exit code 0 is clean; a worker that does not exit is killed after the grace period', async () => {
    const nice = fakeProcess();
    const stopped = nice.handle.stop(10_000);
    expect(nice.posted).toEqual([{ type: 'shutdown' }]);
    nice.exited(0, null);
    expect(await stopped).toEqual({ code: 0, signal: null, crashed: false });
    expect(nice.kills()).toBe(0);

    const stuck = fakeProcess();
    const e = stuck.handle.stop(10);
    await new Promise((r) => setTimeout(r, 30));
    expect(stuck.kills()).toBe(1);
    stuck.exited(null, 'SIGKILL');
    expect(await e).toEqual({ code: null, signal: 'SIGKILL', crashed: true });
  });

  it('every worker is told the pid to watch (the parent-death watchdog); the caller may add variables', () => {
    const env = workerEnvironment({ env: { A: '1' } }, { B: '2' });
    expect(env).toMatchObject({ [PARENT_PID_ENV]: String(process.pid), A: '1', B: '2' });
  });

  it('only a worker that asks for them gets the allocator settings (the inference worker)', () => {
    if (process.platform !== 'linux') return;
    const inherited = process.env.GLIBC_TUNABLES;
    process.env.GLIBC_TUNABLES = 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456';
    try {
      expect(workerEnvironment({}).GLIBC_TUNABLES).toBeUndefined();
      expect(workerEnvironment({ mallocTunables: true }).GLIBC_TUNABLES).toBe('glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456');
    } finally {
      if (inherited === undefined) delete process.env.GLIBC_TUNABLES;
      else process.env.GLIBC_TUNABLES = inherited;
    }
  });
});
