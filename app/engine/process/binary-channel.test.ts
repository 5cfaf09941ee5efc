import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BINARY_BACKLOG_LIMIT, binaryWriterOn, readBinaryMessages } from './binary-channel';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A connected pair of Unix sockets: `reader` is the accepted side, paused until read. */
async function pair(): Promise<{ writer: net.Socket; reader: net.Socket }> {
  const file = path.join(os.tmpdir(), `wr-bin-${process.pid}-${crypto.randomBytes(4).toString('hex')}.sock`);
  const server = net.createServer({ pauseOnConnect: true });
  await new Promise<void>((r) => server.listen(file, r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const writer = net.connect(file);
  const reader = await accepted;
  server.close();
  fs.rmSync(file, { force: true });
  cleanups.push(() => {
    writer.destroy();
    reader.destroy();
  });
  return { writer, reader };
}

describe('binary side channel', () => {
  it('delivers messages with their body restored as a Buffer, in order', async () => {
    const { writer, reader } = await pair();
    const got: { type: string; header: { seq: number }; jpeg: Buffer }[] = [];
    readBinaryMessages(reader, (m) => got.push(m as (typeof got)[number]), (e) => {
      throw e;
    });
    const w = binaryWriterOn(writer);
    const bodies = [0, 1, 2, 3].map((i) => crypto.randomBytes(70_000 + i * 1000));
    bodies.forEach((b, i) => expect(w.send({ type: 'frame', header: { seq: i } }, 'jpeg', b)).toBe(true));
    for (let i = 0; i < 200 && got.length < 4; i++) await new Promise((r) => setTimeout(r, 10));
    expect(got.map((m) => m.header.seq)).toEqual([0, 1, 2, 3]);
    got.forEach((m, i) => {
      expect(m.type).toBe('frame');
      expect(Buffer.isBuffer(m.jpeg)).toBe(true);
      expect(m.jpeg.equals(bodies[i]!)).toBe(true);
    });
    expect(w.dropped).toBe(0);
  });

  it('drops messages instead of buffering without bound when the host does not read', async () => {
    const { writer } = await pair(); // the reader never reads
    const w = binaryWriterOn(writer);
    const body = Buffer.alloc(500_000);
    let sent = 0;
    for (let i = 0; i < 60; i++) if (w.send({ type: 'frame', header: { seq: i } }, 'jpeg', body)) sent++;
    expect(w.dropped).toBeGreaterThan(0);
    expect(sent + w.dropped).toBe(60);
    // what waits in memory stays near the limit: at most one message past it
    expect(writer.writableLength).toBeLessThanOrEqual(BINARY_BACKLOG_LIMIT + body.length + 1024);
  });
});
