import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFfmpegTransport, makePrivateDir, PRIVATE_DIR_PREFIX, type FfmpegTransport } from './ffmpeg-transport';
import { RawFrameSplitter } from './raw-frame-splitter';

// The local-sockets transport without ffmpeg: this test connects to the endpoints itself, as ffmpeg's unix protocol
// does (real sockets, real files). ffmpeg itself over this transport: camera-session.int.test.ts and the others.
let parent: string;
let transport: FfmpegTransport | null = null;
afterEach(() => {
  transport?.dispose();
  transport = null;
  fs.rmSync(parent, { recursive: true, force: true });
});

const socketPath = (url: string) => url.replace(/^unix:/, '');

/** Connects like ffmpeg, writes `bytes` and hangs up; `refused`: the other side may drop the connection. */
function send(url: string, bytes: Buffer | null, refused = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = net.connect(socketPath(url), () => (bytes ? c.end(bytes) : c.end()));
    c.on('error', (e) => (refused ? resolve() : reject(e)));
    c.on('close', () => resolve());
  });
}

async function until(what: string, fn: () => boolean): Promise<void> {
  const end = Date.now() + 5_000;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.skipIf(process.platform === 'win32')('local sockets transport (POSIX)', () => {
  it('listens before ffmpeg starts, reads every connection into the same readers, and removes everything after', async () => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-transport-test-'));
    transport = createFfmpegTransport('sockets', { cameraId: 'cam', tmpDir: parent });
    const link = await transport.prepare({ raw: true });
    expect(link.endpoints.jpeg).toMatch(/^unix:\//);
    expect(link.endpoints.raw).toMatch(/^unix:\//);
    expect(link.endpoints.mask).toMatch(/^file:\/.*\.pgm$/);
    const [dir] = fs.readdirSync(parent);
    expect(dir).toMatch(new RegExp(`^${PRIVATE_DIR_PREFIX}${process.pid}-`));
    expect(fs.statSync(path.join(parent, dir!)).mode & 0o777).toBe(0o700);
    expect(fs.existsSync(socketPath(link.endpoints.jpeg))).toBe(true);

    // Before ffmpeg's readers are there, a connection is refused (nothing of it is read).
    await send(link.endpoints.jpeg, Buffer.from('early'), true);
    const jpeg: Buffer[] = [];
    const frames: Buffer[] = [];
    const raw = new RawFrameSplitter(6, (f) => frames.push(Buffer.from(f)));
    link.read({ jpeg: (c) => jpeg.push(Buffer.from(c)), raw });
    // A stray probe that connects and closes without writing takes nothing away from the real connection.
    await send(link.endpoints.jpeg, null);
    await send(link.endpoints.jpeg, Buffer.from('JPEG-BYTES'));
    await until('the JPEG bytes', () => Buffer.concat(jpeg).length >= 10);
    expect(Buffer.concat(jpeg).toString()).toBe('JPEG-BYTES');

    // Paused (pacing) before ffmpeg connects: the raw bytes wait until resumed.
    link.pauseRaw(true);
    const sent = send(link.endpoints.raw, Buffer.from('abcdefghijkl'));
    await new Promise((r) => setTimeout(r, 100));
    expect(frames).toEqual([]);
    link.pauseRaw(false);
    await sent;
    await until('two raw frames', () => frames.length === 2);
    expect(frames.map(String)).toEqual(['abcdef', 'ghijkl']);

    link.close();
    expect(fs.existsSync(socketPath(link.endpoints.jpeg))).toBe(false);
    expect(fs.existsSync(socketPath(link.endpoints.raw))).toBe(false);
    await expect(send(link.endpoints.jpeg, Buffer.from('late'))).rejects.toThrow(/ENOENT|ECONNREFUSED/);
    transport.dispose();
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it('no raw output without inference: one socket only', async () => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-transport-test-'));
    transport = createFfmpegTransport('sockets', { cameraId: 'cam', tmpDir: parent });
    const link = await transport.prepare({ raw: false });
    expect(link.endpoints.raw).toBe('');
    expect(fs.readdirSync(path.join(parent, fs.readdirSync(parent)[0]!)).filter((f) => f.endsWith('.sock'))).toHaveLength(1);
    link.close();
  });

  it('each run gets fresh socket names; dispose closes a run still open', async () => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-transport-test-'));
    transport = createFfmpegTransport('sockets', { cameraId: 'cam', tmpDir: parent });
    const a = await transport.prepare({ raw: true });
    a.close();
    const b = await transport.prepare({ raw: true });
    expect([b.endpoints.jpeg, b.endpoints.raw]).not.toContain(a.endpoints.jpeg);
    expect([b.endpoints.jpeg, b.endpoints.raw]).not.toContain(a.endpoints.raw);
    expect(b.endpoints.mask).not.toBe(a.endpoints.mask);
    transport.dispose();
    expect(fs.readdirSync(parent)).toEqual([]);
    expect(fs.existsSync(socketPath(b.endpoints.jpeg))).toBe(false);
  });

  it("a new private folder sweeps away those of workers that are gone, never a live worker's", () => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-transport-test-'));
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const dead = path.join(parent, `${PRIVATE_DIR_PREFIX}${gone}-AbCdEf`);
    const live = path.join(parent, `${PRIVATE_DIR_PREFIX}${process.ppid}-AbCdEf`);
    const other = path.join(parent, 'something-else');
    for (const d of [dead, live, other]) fs.mkdirSync(d);
    fs.writeFileSync(path.join(dead, '1.sock'), '');
    const mine = makePrivateDir(parent);
    expect(fs.readdirSync(parent).sort()).toEqual([path.basename(live), path.basename(mine), 'something-else'].sort());
  });
});

describe('inherited pipes transport', () => {
  it('gives fds 3, 4 and 5 and needs nothing on disk', async () => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-transport-test-'));
    transport = createFfmpegTransport('pipes', { cameraId: 'cam', tmpDir: parent });
    const link = await transport.prepare({ raw: true });
    expect(link.endpoints).toEqual({ jpeg: 'pipe:3', raw: 'pipe:4', mask: 'pipe:5' });
    expect(fs.readdirSync(parent)).toEqual([]);
  });
});
