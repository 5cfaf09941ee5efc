import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Frames from a camera worker to the inference worker through a file in RAM (Linux's /dev/shm) instead of the
 * socket. A 519 KB frame does not fit a Unix socket's buffer (about 200 KB), so on the socket every frame is sent
 * in several pieces, and each piece costs the writer a write and a wait for room, and the reader a wake-up and a
 * read. Through the ring the frame is written with one call and read with one call, and the socket carries only
 * its small header.
 *
 * The writer (camera worker, one ring per connection) owns a file of `slots` frame-sized slots and writes each
 * frame into a slot that no request in flight uses; the header names the file, the slot and the size. The reader
 * (inference worker) opens the file on first use and reads the slot as soon as the header arrives, before it
 * answers, so a slot is free again once its answer came. The reader removes the file's name as soon as it has
 * opened it (and the writer once an answer came, in case): from then on nothing is left in /dev/shm when either
 * process dies, as the file lives only while one of them holds it open.
 * Where there is no /dev/shm (Windows, macOS), with WATCHROOM_FRAME_RING=0, or when the ring fails, frames travel
 * inline on the socket.
 */
export const FRAME_RING_PREFIX = 'watchroom-frames-';
const SHM_DIR = '/dev/shm';

/** The header field that points at a frame in a ring. */
export interface FrameRingRef {
  path: string;
  slot: number;
  bytes: number;
}

/** Where rings are made: /dev/shm on Linux when writable, else null (frames go inline). */
export function frameRingDir(): string | null {
  if (process.env.WATCHROOM_FRAME_RING === '0' || process.platform !== 'linux') return null;
  try {
    fs.accessSync(SHM_DIR, fs.constants.W_OK);
    return SHM_DIR;
  } catch {
    return null;
  }
}

export class FrameRingWriter {
  private fd: number | null;
  private named = true;
  private readonly busy: boolean[];

  private constructor(
    readonly path: string,
    fd: number,
    readonly frameBytes: number,
    readonly slots: number,
  ) {
    this.fd = fd;
    this.busy = new Array<boolean>(slots).fill(false);
  }

  /** A new ring in `dir`, or null when it cannot be made (frames then go inline). */
  static create(dir: string, frameBytes: number, slots: number): FrameRingWriter | null {
    const file = path.join(dir, `${FRAME_RING_PREFIX}${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
    let fd: number | null = null;
    try {
      fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
      fs.ftruncateSync(fd, frameBytes * slots);
      return new FrameRingWriter(file, fd, frameBytes, slots);
    } catch {
      if (fd !== null) fs.closeSync(fd);
      fs.rmSync(file, { force: true });
      return null;
    }
  }

  /** Writes a frame into a free slot and marks it busy; null when every slot is in flight or the size differs. */
  write(data: Uint8Array): number | null {
    if (this.fd === null || data.length !== this.frameBytes) return null;
    const slot = this.busy.indexOf(false);
    if (slot < 0) return null;
    fs.writeSync(this.fd, data, 0, data.length, slot * this.frameBytes);
    this.busy[slot] = true;
    return slot;
  }

  release(slot: number): void {
    if (slot >= 0 && slot < this.slots) this.busy[slot] = false;
  }

  /** The reader has the file open: its name is not needed any more. */
  unlink(): void {
    if (!this.named) return;
    this.named = false;
    fs.rmSync(this.path, { force: true });
  }

  close(): void {
    this.unlink();
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Removes rings whose writer is gone (a camera worker killed between making its ring and the first answer, the one
 * moment a ring has a name nobody will remove). Returns how many were removed.
 */
export function sweepStaleFrameRings(dir: string | null = frameRingDir(), alive: (pid: number) => boolean = pidAlive): number {
  if (!dir) return 0;
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = /^watchroom-frames-(\d+)-[0-9a-f]+$/.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    try {
      fs.rmSync(path.join(dir, name), { force: true });
      removed++;
    } catch {}
  }
  return removed;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reader side, one per connection: the rings that connection's frames point at. */
export class FrameRingReader {
  private readonly fds = new Map<string, number>();

  /** Reads the frame `ref` points at into `into` (exactly `ref.bytes`); throws with the reason when it cannot. */
  read(ref: unknown, into: Uint8Array): void {
    const r = ref as Partial<FrameRingRef> | null;
    if (!r || typeof r.path !== 'string' || !Number.isInteger(r.slot) || !Number.isInteger(r.bytes) || r.slot! < 0 || r.bytes !== into.length) throw new Error('malformed frame ring reference');
    // only our own ring files, never any other path a peer might name
    if (path.dirname(r.path) !== SHM_DIR || !/^watchroom-frames-[\w-]+$/.test(path.basename(r.path))) throw new Error(`not a frame ring: ${r.path}`);
    let fd = this.fds.get(r.path);
    if (fd === undefined) {
      if (this.fds.size >= 4) throw new Error('too many frame rings on one connection');
      fd = fs.openSync(r.path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
      this.fds.set(r.path, fd);
      fs.rmSync(r.path, { force: true });
    }
    const n = fs.readSync(fd, into, 0, r.bytes!, r.slot! * r.bytes!);
    if (n !== r.bytes) throw new Error(`short frame ring read (${n} of ${r.bytes} bytes)`);
  }

  close(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}
