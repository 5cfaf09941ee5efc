import type { ChildProcess } from 'node:child_process';
import type { FfmpegLink } from './ffmpeg-transport';

/** How one ffmpeg run ended: its exit code and signal, or the error that kept it from starting. */
export interface FfmpegRunEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
}

/**
 * One started ffmpeg process of a camera. `onEnd` is called exactly once: when it could not be started ('error'),
 * or when it exited and its pipes are closed ('close'); `closed` resolves right after. `onExit` fires earlier, on
 * the process's exit, while its pipes may still hold output.
 */
export class FfmpegRun {
  readonly closed: Promise<void>;
  private ended = false;

  /** Starts ffmpeg through the run's link (pipes or sockets); throws when the link cannot start it. */
  static start(link: Pick<FfmpegLink, 'spawn'>, ffmpegPath: string, plan: Parameters<FfmpegLink['spawn']>[1], onEnd: (end: FfmpegRunEnd) => void): FfmpegRun {
    return new FfmpegRun(link.spawn(ffmpegPath, plan), onEnd);
  }

  constructor(
    readonly child: ChildProcess,
    onEnd: (end: FfmpegRunEnd) => void,
  ) {
    let resolveClosed!: () => void;
    this.closed = new Promise((r) => (resolveClosed = r));
    const end = (e: FfmpegRunEnd) => {
      if (this.ended) return;
      this.ended = true;
      try {
        onEnd(e);
      } finally {
        resolveClosed();
      }
    };
    child.once('error', (spawnError) => end({ code: null, signal: null, spawnError }));
    child.once('close', (code, signal) => end({ code, signal }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The process exited (its pipes may still be draining). */
  onExit(listener: () => void): void {
    this.child.once('exit', listener);
  }

  /** A stalled ffmpeg ignores SIGTERM, and what it would still write is of no use: always SIGKILL. */
  kill(): void {
    this.child.kill('SIGKILL');
  }
}
