import type net from 'node:net';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { adoptWithUserBuffer } from '../process/user-buffer-socket';
import { maskLine, parseInputVideoSize, rejectInputFormat } from './ffmpeg-diagnostics';

/** Lines of ffmpeg's stderr kept for the exit diagnosis (classifyFfmpegExit) and the log. */
const STDERR_TAIL = 40;
/** An unfinished line longer than this keeps only its end. */
const PARTIAL_LINE_MAX = 8192;
/** Once frames flow, ffmpeg's stderr is read this often (see FfmpegStderrReader). */
export const STDERR_BATCH_MS = 100;
const STDERR_READ_BYTES = 64 * 1024;

export interface FfmpegStderrHandlers {
  /** The camera's source as configured: its credentials are masked out of every kept line. */
  source: string;
  /** Offered every line first; true: a decode-timing line (decode-timing.ts), consumed and not kept. */
  timing: (line: string) => boolean;
  /** Before ffmpeg opens its outputs: the input is in a format cameras refuse (why, for the officer). */
  onRejected: (reason: string) => void;
  /** Before ffmpeg opens its outputs: the input's picture size. */
  onInputSize: (width: number, height: number) => void;
}

/**
 * Makes sense of one ffmpeg run's stderr text: cuts it into lines, hands timing lines to decode timing, watches the
 * lines before `Output #` for a refused input format and the input's size, and keeps the last lines (credentials
 * masked) for the exit diagnosis.
 */
export class FfmpegStderrLines {
  private partial = '';
  private sawOutput = false;
  private readonly kept: string[] = [];

  constructor(private readonly handlers: FfmpegStderrHandlers) {}

  /** The last lines seen (at most 40), oldest first. */
  get tail(): readonly string[] {
    return this.kept;
  }

  push(text: string): void {
    this.partial += text;
    const lines = this.partial.split(/\r?\n|\r/);
    this.partial = lines.pop() ?? '';
    if (this.partial.length > PARTIAL_LINE_MAX) this.partial = this.partial.slice(-PARTIAL_LINE_MAX);
    for (const raw of lines) {
      if (!raw.trim()) continue;
      // Timing lines (one per decode call) feed decode latency and never crowd the diagnostics tail.
      if (this.handlers.timing(raw)) continue;
      const line = maskLine(raw, this.handlers.source);
      if (/^Output #/.test(line)) this.sawOutput = true;
      if (!this.sawOutput) {
        const rejected = rejectInputFormat(line);
        if (rejected) this.handlers.onRejected(rejected);
        const size = parseInputVideoSize(line);
        if (size) this.handlers.onInputSize(size.width, size.height);
      }
      this.kept.push(line);
      if (this.kept.length > STDERR_TAIL) this.kept.shift();
    }
  }
}

/**
 * Reads ffmpeg's stderr pipe as UTF-8 text. ffmpeg writes each log line on its own, and with -benchmark_all that is
 * several lines per frame: read as they come, each would wake this process. Once frames flow (`startBatching()`),
 * stderr is read in batches instead (every STDERR_BATCH_MS; the lines wait in the pipe meanwhile, a few KB); until
 * then, and from ffmpeg's exit on (`stopBatching()`), at once. After `close()` batching does not start again.
 */
export class FfmpegStderrReader {
  private readonly socket: net.Socket;
  private batching = false;
  private batchTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(stderr: Readable, onText: (text: string) => void, private readonly batchMs = STDERR_BATCH_MS) {
    const utf8 = new StringDecoder('utf8');
    this.socket = adoptWithUserBuffer(
      stderr as net.Socket,
      (chunk) => {
        onText(utf8.write(chunk));
        if (this.batching) this.socket.pause();
      },
      STDERR_READ_BYTES,
    ).socket;
    this.socket.on('error', () => {});
  }

  startBatching(): void {
    if (this.batching || this.closed) return;
    this.batching = true;
    this.batchTimer = setInterval(() => this.socket.resume(), this.batchMs);
  }

  stopBatching(): void {
    this.batching = false;
    if (this.batchTimer) clearInterval(this.batchTimer);
    this.batchTimer = null;
    this.socket.resume();
  }

  /** The run is over: read what is left at once. */
  close(): void {
    this.closed = true;
    this.stopBatching();
  }
}
