import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Logger } from '../logging/logger';
import { createNodeWorkerStarter } from './node-worker-starter';

// Real forked Node processes running a tiny worker script from a temp workers folder.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-workers-'));
fs.writeFileSync(
  path.join(dir, 'echo.cjs'),
  `process.on('message', (m) => {
     if (m.type === 'echo') process.send({ type: 'echo', data: m.data, isBuffer: Buffer.isBuffer(m.data), tunables: process.env.GLIBC_TUNABLES ?? null });
     if (m.type === 'shutdown' && !process.env.STUBBORN) process.exit(0);
   });
   process.on('disconnect', () => process.exit(0));
   console.log('hello from the worker');
   console.error('a warning');
   setInterval(() => {}, 1000);`,
);
// Writes three messages on the binary side channel in its wire format (frame-wire.ts: u32 header bytes, u32 body
// bytes, JSON header, body), then says so over IPC.
fs.writeFileSync(
  path.join(dir, 'binary.cjs'),
  `const net = require('net');
   const out = new net.Socket({ fd: Number(process.env.WATCHROOM_BINARY_FD), readable: false });
   for (let i = 0; i < 3; i++) {
     const body = Buffer.alloc(300000 + i, i + 1);
     const h = Buffer.from(JSON.stringify({ m: { type: 'frame', header: { seq: i } }, f: 'jpeg' }));
     const p = Buffer.alloc(8); p.writeUInt32BE(h.length, 0); p.writeUInt32BE(body.length, 4);
     out.write(Buffer.concat([p, h, body]));
   }
   process.send({ type: 'sent' });
   process.on('message', (m) => m.type === 'shutdown' && process.exit(0));
   process.on('disconnect', () => process.exit(0));
   setInterval(() => {}, 1000);`,
);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function recordingLogger(lines: string[]): Logger {
  const l: Logger = {
    debug: (m) => lines.push(`debug ${m}`),
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
    child: () => l,
  };
  return l;
}

async function until(fn: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('node worker starter', () => {
  it('passes Buffers, logs output with a [name pid] prefix, and stops cleanly', async () => {
    const lines: string[] = [];
    const w = createNodeWorkerStarter({ dir, logger: recordingLogger(lines) }).start({ name: 'echo', entry: 'echo.cjs', mallocTunables: true });
    const got: unknown[] = [];
    w.onMessage((m) => got.push(m));
    w.send({ type: 'echo', data: Buffer.from([0xff, 0xd8, 1]) });
    await until(() => got.length > 0 && lines.length >= 2);
    const reply = got[0] as { data: Uint8Array; isBuffer: boolean; tunables: string | null };
    expect(reply.isBuffer).toBe(true);
    // the allocator settings (malloc-env.ts) reach a worker that asks for them, on Linux where glibc reads them
    if (process.platform === 'linux') expect(reply.tunables).toContain('glibc.malloc.mmap_threshold=');
    expect([...reply.data]).toEqual([0xff, 0xd8, 1]);
    expect(lines).toContain(`info [echo ${w.pid}] hello from the worker`);
    expect(lines).toContain(`warn [echo ${w.pid}] a warning`);
    const exits: unknown[] = [];
    w.onExit((e) => exits.push(e));
    expect(await w.stop(5_000)).toEqual({ code: 0, signal: null, crashed: false });
    expect(exits).toHaveLength(1);
  });

  it('delivers messages from the binary side channel as message objects with their body as a Buffer', async () => {
    const w = createNodeWorkerStarter({ dir, logger: recordingLogger([]) }).start({ name: 'binary', entry: 'binary.cjs', binaryMessages: true });
    const got: { type: string; header?: { seq: number }; jpeg?: Buffer }[] = [];
    w.onMessage((m) => got.push(m as (typeof got)[number]));
    await until(() => got.filter((m) => m.type === 'frame').length === 3);
    const frames = got.filter((m) => m.type === 'frame');
    expect(frames.map((f) => f.header?.seq)).toEqual([0, 1, 2]);
    frames.forEach((f, i) => {
      expect(Buffer.isBuffer(f.jpeg)).toBe(true);
      expect(f.jpeg!.length).toBe(300000 + i);
      expect(f.jpeg!.every((b) => b === i + 1)).toBe(true);
    });
    expect(await w.stop(5_000)).toMatchObject({ code: 0, crashed: false });
  });

  it('SIGKILLs a worker that ignores shutdown after the grace period', async () => {
    const w = createNodeWorkerStarter({ dir, logger: recordingLogger([]) }).start({ name: 'stubborn', entry: 'echo.cjs', env: { STUBBORN: '1' } });
    await until(() => w.pid !== undefined);
    const exit = await w.stop(300);
    expect(exit).toMatchObject({ signal: 'SIGKILL', crashed: true });
  });

  it('reports a crash when killed', async () => {
    const w = createNodeWorkerStarter({ dir, logger: recordingLogger([]) }).start({ name: 'victim', entry: 'echo.cjs' });
    const exited = new Promise((r) => w.onExit(r));
    w.kill();
    expect(await exited).toMatchObject({ signal: 'SIGKILL', crashed: true });
    w.send({ type: 'echo', data: 1 }); // dropped silently once exited
  });
});
