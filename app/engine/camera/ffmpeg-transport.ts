import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { adoptWithUserBuffer, type ChunkSink, type DirectSink } from '../process/user-buffer-socket';
import type { FfmpegPlan } from './ffmpeg-args';
import { fileUrl, localSocketPath, localSocketUrl, PIPE_ENDPOINTS, PIPE_FDS, type FfmpegEndpoints, type FfmpegTransportKind } from './ffmpeg-endpoints';

/**
 * How the bytes of one camera's ffmpeg reach its worker (see ffmpeg-endpoints.ts for the two transports and why).
 * This file only moves bytes: what they mean (JPEG splitting, raw frame size) stays with the readers handed in.
 *
 *   transport.prepare() -> link.endpoints (URLs for buildFfmpegArgs) -> link.spawn(plan) -> link.read(readers)
 *   -> ffmpeg exits: the link closes itself (connections, servers, mask file) -> transport.dispose(): the private
 *   temp folder goes too.
 */
export interface FfmpegTransport {
  readonly kind: FfmpegTransportKind;
  /**
   * Readies the endpoints of the next ffmpeg run (sockets: listening when the promise resolves). `raw`: whether
   * the run has a raw output (inference on).
   */
  prepare(outputs: { raw: boolean }): Promise<FfmpegLink>;
  /** Removes what the transport created on disk (synchronous: also used from exit handlers). */
  dispose(): void;
}

export interface FfmpegReaders {
  /** Receives the display JPEG stream. */
  jpeg: ChunkSink;
  /** Receives the raw frame stream (reads land straight in the frame buffers); null when inference is off. */
  raw: DirectSink | null;
}

/** One ffmpeg run's connections. */
export interface FfmpegLink {
  readonly endpoints: FfmpegEndpoints;
  /** Starts ffmpeg with a plan built with `endpoints` and feeds it the plan's mask image. */
  spawn(ffmpegPath: string, plan: Pick<FfmpegPlan, 'args' | 'maskImage' | 'rawFrameBytes'>): ChildProcess;
  /** Reads ffmpeg's outputs into these readers; call it in the same tick as spawn(). */
  read(readers: FfmpegReaders): void;
  /** Stops (true) or resumes reading the raw output: ffmpeg then blocks on its writes (pacing by inference). */
  pauseRaw(paused: boolean): void;
  /** Drops the connections and endpoints of this run (done by itself when ffmpeg exits; idempotent). */
  close(): void;
}

export interface FfmpegTransportOptions {
  cameraId: string;
  platform?: NodeJS.Platform;
  /** Parent of the private temp folder. Default os.tmpdir(). */
  tmpDir?: string;
}

export function createFfmpegTransport(kind: FfmpegTransportKind, options: FfmpegTransportOptions): FfmpegTransport {
  return kind === 'sockets' ? new LocalSocketTransport(options) : new InheritedPipeTransport();
}

const ignore = () => {};

/** Writes the mask image to ffmpeg's mask pipe and closes it (ffmpeg reads one image; errors mean it died). */
function writeMaskImage(pipe: Writable | null, image: Buffer): void {
  if (!pipe) return;
  pipe.on('error', ignore);
  pipe.end(image);
}

/** `pipes`: fds 3 (JPEG) and 4 (raw) out, 5 (mask) in, inherited by the child. */
class InheritedPipeTransport implements FfmpegTransport {
  readonly kind = 'pipes' as const;

  prepare(): Promise<FfmpegLink> {
    return Promise.resolve(new InheritedPipeLink());
  }

  dispose(): void {}
}

class InheritedPipeLink implements FfmpegLink {
  readonly endpoints = PIPE_ENDPOINTS;
  private pipes: (net.Socket | null)[] = [];
  private raw: net.Socket | null = null;

  spawn(ffmpegPath: string, plan: Pick<FfmpegPlan, 'args' | 'maskImage' | 'rawFrameBytes'>): ChildProcess {
    const stdio: StdioOptions = ['ignore', 'ignore', 'pipe', 'pipe', plan.rawFrameBytes ? 'pipe' : 'ignore', ...(plan.maskImage ? (['pipe'] as const) : [])];
    const child = spawn(ffmpegPath, plan.args, { stdio, windowsHide: true });
    this.pipes = child.stdio as unknown as (net.Socket | null)[];
    if (plan.maskImage) writeMaskImage(this.pipes[PIPE_FDS.mask] ?? null, plan.maskImage);
    // Once ffmpeg is gone its last raw frames are of no use, and a stream paused for pacing would never see its
    // end (nor let the child's 'close' come).
    child.once('exit', () => this.close());
    return child;
  }

  read(readers: FfmpegReaders): void {
    const jpegs = this.pipes[PIPE_FDS.jpeg];
    if (jpegs) adoptWithUserBuffer(jpegs, readers.jpeg).socket.on('error', ignore);
    const rawPipe = this.pipes[PIPE_FDS.raw];
    if (readers.raw && rawPipe) {
      // Half a megabyte per frame: each read lands straight in the frame's own buffer.
      this.raw = adoptWithUserBuffer(rawPipe, readers.raw).socket;
      this.raw.on('error', ignore);
    }
  }

  pauseRaw(paused: boolean): void {
    if (paused) this.raw?.pause();
    else this.raw?.resume();
  }

  close(): void {
    this.raw?.destroy();
  }
}

/**
 * `sockets`: one listening local socket per output, named per worker and camera; the mask image is a file. All
 * of it lives in (or, for Windows named pipes, is named after) a private temp folder made on first use.
 */
class LocalSocketTransport implements FfmpegTransport {
  readonly kind = 'sockets' as const;
  private readonly platform: NodeJS.Platform;
  private dir: string | null = null;
  private sockets = 0;
  private readonly links = new Set<LocalSocketLink>();

  constructor(private readonly options: FfmpegTransportOptions) {
    this.platform = options.platform ?? process.platform;
  }

  async prepare(outputs: { raw: boolean }): Promise<FfmpegLink> {
    const dir = (this.dir ??= makePrivateDir(this.options.tmpDir ?? os.tmpdir()));
    const next = () => localSocketPath(this.platform, { dir, pid: process.pid, cameraId: this.options.cameraId, n: ++this.sockets });
    const jpegPath = next();
    const rawPath = outputs.raw ? next() : null;
    const link = new LocalSocketLink(jpegPath, rawPath, path.join(dir, `mask-${this.sockets}.pgm`), this.platform, (l) => this.links.delete(l));
    this.links.add(link);
    try {
      await link.listen();
    } catch (e) {
      link.close();
      throw e;
    }
    return link;
  }

  dispose(): void {
    for (const link of [...this.links]) link.close();
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}

/** Name prefix of the private temp folders; the worker's pid follows it. */
export const PRIVATE_DIR_PREFIX = 'watchroom-ffmpeg-';

/**
 * Makes this worker's private folder (`watchroom-ffmpeg-<pid>-XXXXXX`; 0700 on POSIX, and on Windows inside the
 * user's own temp folder) after removing those of workers that are gone: a SIGKILLed worker cannot clean up.
 */
export function makePrivateDir(parent: string): string {
  try {
    for (const name of fs.readdirSync(parent)) {
      const pid = Number(/^watchroom-ffmpeg-(\d+)-/.exec(name)?.[1]);
      if (pid && pid !== process.pid && !processAlive(pid)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    }
  } catch {
    // Best effort: a folder we cannot list or remove is left to the system's temp cleaning.
  }
  return fs.mkdtempSync(path.join(parent, `${PRIVATE_DIR_PREFIX}${process.pid}-`));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One output: a server whose every connection is read, in order of arrival, into the same reader. */
interface OutputServer {
  server: net.Server;
  connections: Set<net.Socket>;
}

class LocalSocketLink implements FfmpegLink {
  readonly endpoints: FfmpegEndpoints;
  private readonly jpeg: OutputServer;
  private readonly raw: OutputServer | null;
  private readers: FfmpegReaders | null = null;
  private rawPaused = false;
  private closed = false;

  constructor(
    private readonly jpegPath: string,
    private readonly rawPath: string | null,
    private readonly maskPath: string,
    platform: NodeJS.Platform,
    private readonly onClosed: (link: LocalSocketLink) => void,
  ) {
    // Without a raw output its URL is never put into ffmpeg's arguments.
    this.endpoints = { jpeg: localSocketUrl(platform, jpegPath), raw: rawPath ? localSocketUrl(platform, rawPath) : '', mask: fileUrl(maskPath) };
    this.jpeg = this.output((c) => (this.readers ? adoptWithUserBuffer(c, this.readers.jpeg).socket : null));
    this.raw = rawPath
      ? this.output((c) => {
          if (!this.readers?.raw) return null;
          const s = adoptWithUserBuffer(c, this.readers.raw).socket;
          if (this.rawPaused) s.pause();
          return s;
        })
      : null;
  }

  /**
   * ffmpeg opens each output once, but every connection is taken (and read into the same reader) rather than only
   * the first: a stray probe that connects and closes without writing (Windows' file-attribute calls can open a
   * named pipe) must not take the place of ffmpeg's real connection. A connection before spawn() is refused.
   */
  private output(adopt: (accepted: net.Socket) => net.Socket | null): OutputServer {
    const connections = new Set<net.Socket>();
    // Paused on connect: adoptWithUserBuffer must take the handle before anything was read.
    const server = net.createServer({ pauseOnConnect: true }, (accepted) => {
      const socket = this.closed ? null : adopt(accepted);
      if (!socket) {
        accepted.destroy();
        return;
      }
      socket.on('error', ignore);
      connections.add(socket);
      socket.once('close', () => connections.delete(socket));
    });
    server.on('error', ignore);
    return { server, connections };
  }

  listen(): Promise<void> {
    const one = (o: OutputServer, where: string) =>
      new Promise<void>((resolve, reject) => {
        o.server.once('error', reject);
        o.server.listen(where, () => {
          o.server.off('error', reject);
          resolve();
        });
      });
    return Promise.all([one(this.jpeg, this.jpegPath), ...(this.raw && this.rawPath ? [one(this.raw, this.rawPath)] : [])]).then(() => undefined);
  }

  spawn(ffmpegPath: string, plan: Pick<FfmpegPlan, 'args' | 'maskImage' | 'rawFrameBytes'>): ChildProcess {
    if (plan.maskImage) fs.writeFileSync(this.maskPath, plan.maskImage, { mode: 0o600 });
    // `-y`: ffmpeg's file protocol sees the named pipe as an existing file, and with -nostdin it would refuse to
    // "overwrite" it ("File ... already exists. Exiting.", as it does with an existing FIFO on Linux).
    const child = spawn(ffmpegPath, ['-y', ...plan.args], { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    child.once('exit', () => this.close());
    child.once('error', () => this.close());
    return child;
  }

  read(readers: FfmpegReaders): void {
    // ffmpeg connects once it has opened its input, long after this tick.
    this.readers = readers;
  }

  pauseRaw(paused: boolean): void {
    this.rawPaused = paused;
    for (const s of this.raw?.connections ?? []) {
      if (paused) s.pause();
      else s.resume();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Frames still in flight from a dead ffmpeg are dropped (as the raw pipe is with the pipes transport), so no frame
    // of an old run can arrive after the next run started. Closing a unix socket server unlinks its file.
    for (const o of this.raw ? [this.jpeg, this.raw] : [this.jpeg]) {
      o.server.close();
      for (const s of o.connections) s.destroy();
    }
    fs.rmSync(this.maskPath, { force: true });
    this.onClosed(this);
  }
}
