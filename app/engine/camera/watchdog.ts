/** Options of a FrameWatchdog. */
export interface WatchdogOptions {
  /** Maximum time without a frame once frames flowed, ms. */
  gapMs: number;
  /** Maximum time from start to the first frame, ms (default: max(gapMs, 20 000)). */
  connectTimeoutMs?: number;
  /** Called once per silence when half the gap has passed without a frame (only after a first frame). */
  onStalled: (lastFrameAt: number) => void;
  /** Called once when the gap (or the connect timeout) expires; the watchdog stops itself. */
  onExpired: (info: { firstFrame: boolean; silentMs: number }) => void;
  /** Clock, injectable for tests (default Date.now). */
  now?: () => number;
  /** Check period, ms (default min(gapMs / 4, 500)). */
  tickMs?: number;
}

/**
 * Frame-gap watchdog. A stalled source makes ffmpeg hang (and ignore SIGTERM), so the worker watches the
 * time since the last frame: after half the gap it reports `stalled`, after the full gap it fires `expired`
 * (the worker then SIGKILLs ffmpeg and reconnects). Before the first frame, `connectTimeoutMs` applies.
 */
export class FrameWatchdog {
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private lastFrameAt: number | null = null;
  private stalledReported = false;
  private readonly now: () => number;

  constructor(private readonly o: WatchdogOptions) {
    this.now = o.now ?? Date.now;
  }

  get connectTimeoutMs(): number {
    return this.o.connectTimeoutMs ?? Math.max(this.o.gapMs, 20_000);
  }

  start(): void {
    this.stop();
    this.startedAt = this.now();
    this.lastFrameAt = null;
    this.stalledReported = false;
    const tick = this.o.tickMs ?? Math.max(20, Math.min(this.o.gapMs / 4, 500));
    this.timer = setInterval(() => this.check(), tick);
    this.timer.unref?.();
  }

  /** Records a frame; returns true when it ends a reported stall. */
  frame(): boolean {
    this.lastFrameAt = this.now();
    const wasStalled = this.stalledReported;
    this.stalledReported = false;
    return wasStalled;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One check (public for tests with a fake clock). */
  check(): void {
    if (!this.timer) return;
    const now = this.now();
    if (this.lastFrameAt === null) {
      if (now - this.startedAt >= this.connectTimeoutMs) {
        this.stop();
        this.o.onExpired({ firstFrame: false, silentMs: now - this.startedAt });
      }
      return;
    }
    const silent = now - this.lastFrameAt;
    if (silent >= this.o.gapMs) {
      this.stop();
      this.o.onExpired({ firstFrame: true, silentMs: silent });
    } else if (silent >= this.o.gapMs / 2 && !this.stalledReported) {
      this.stalledReported = true;
      this.o.onStalled(this.lastFrameAt);
    }
  }
}
