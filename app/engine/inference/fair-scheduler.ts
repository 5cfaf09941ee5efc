/** How a scheduled frame ended: its result, dropped for a newer frame of its camera, or an error. */
export type ScheduleOutcome<R> = { status: 'done'; value: R } | { status: 'dropped' } | { status: 'error'; message: string };

export interface CameraSchedStats {
  processed: number;
  dropped: number;
  errors: number;
  /** Sum of run time attributed to this camera's frames, ms. */
  totalMs: number;
}

interface Pending<T, R> {
  item: T;
  resolve: (o: ScheduleOutcome<R>) => void;
  /** When it was submitted (performance.now()). */
  at: number;
}

export type BatchRunner<T, R> = (batch: { cameraId: string; item: T }[]) => Promise<R[]>;

/**
 * Fair, bounded scheduling of frames from many cameras onto one detector:
 * - one slot per camera: a newer frame replaces the pending one (latest frame wins) and the replaced one is
 *   answered `dropped` and counted;
 * - cameras are served round-robin (FIFO of cameras with a pending frame; a served camera goes to the back);
 * - each run takes at most `maxBatch(group)` model inputs (one frame per camera, all of one group: the model they
 *   are for; the camera first in line decides the group, later cameras of other groups keep their place; a tiled
 *   frame is one turn of its camera that weighs as many inputs as it has tiles, and a frame heavier than the
 *   batch still runs, alone), and at most
 *   `maxInFlight()` runs are in flight
 *   (one per parallel ORT session), so nothing queues without bound: memory is at most one pending frame per
 *   camera plus the running batches.
 */
export class FairScheduler<T, R> {
  private readonly slots = new Map<string, Pending<T, R>>();
  private readonly order: string[] = [];
  private running = 0;
  private closed = false;
  private readonly stats = new Map<string, CameraSchedStats>();
  private readonly idleListeners: (() => void)[] = [];
  private waitedTotal = 0;

  constructor(
    private readonly runner: BatchRunner<T, R>,
    private readonly maxBatch: (group: string) => number = () => 1,
    /** How long each result took, ms, for stats (default: the batch wall time shared evenly). */
    private readonly costOf: (r: R) => number | undefined = () => undefined,
    /** Runs allowed at once (parallel sessions); default 1. */
    private readonly maxInFlight: () => number = () => 1,
    /** Frames of different groups never share a run (default: one group). */
    private readonly groupOf: (item: T) => string = () => '',
    /** Model inputs an item holds (a tiled frame: its tiles); default 1. */
    private readonly weightOf: (item: T) => number = () => 1,
  ) {}

  submit(cameraId: string, item: T): Promise<ScheduleOutcome<R>> {
    if (this.closed) return Promise.resolve({ status: 'error', message: 'inference is shutting down' });
    return new Promise((resolve) => {
      const old = this.slots.get(cameraId);
      if (old) {
        this.statsFor(cameraId).dropped++;
        old.resolve({ status: 'dropped' });
      } else {
        this.order.push(cameraId);
      }
      this.slots.set(cameraId, { item, resolve, at: performance.now() });
      this.pump();
    });
  }

  /** Pending frames right now (at most one per camera). */
  get pendingCount(): number {
    return this.slots.size;
  }

  /** True while a frame waits or every session runs: lower-priority work (idle-time-queue.ts) must not start. */
  get saturated(): boolean {
    return this.order.length > 0 || this.running >= Math.max(1, this.maxInFlight());
  }

  /**
   * Lends one session to lower-priority work (a face look, idle-time-queue.ts) when no frame waits and one is
   * free: it counts as a run until the returned release is called, so frames and lent sessions together never
   * exceed `maxInFlight()` (no more busy threads than sessions). Null while the scheduler is saturated.
   */
  lendSession(): (() => void) | null {
    if (this.closed || this.saturated) return null;
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.pump();
    };
  }

  /** Milliseconds frames have spent waiting for a session, all frames together since the start; it only grows. */
  get waitedMs(): number {
    return this.waitedTotal;
  }

  /** `listener` runs whenever the scheduler stops being saturated (a run ended or was started with a session to spare). */
  onIdle(listener: () => void): void {
    this.idleListeners.push(listener);
  }

  snapshot(): Record<string, CameraSchedStats> {
    return Object.fromEntries([...this.stats].map(([k, v]) => [k, { ...v }]));
  }

  /** Answers every pending frame with an error and refuses new ones. */
  close(): void {
    this.closed = true;
    for (const [, p] of this.slots) p.resolve({ status: 'error', message: 'inference is shutting down' });
    this.slots.clear();
    this.order.length = 0;
  }

  private statsFor(cameraId: string): CameraSchedStats {
    let s = this.stats.get(cameraId);
    if (!s) this.stats.set(cameraId, (s = { processed: 0, dropped: 0, errors: 0, totalMs: 0 }));
    return s;
  }

  private pump(): void {
    while (this.order.length > 0 && this.running < Math.max(1, this.maxInFlight())) this.startOne();
    if (!this.closed && !this.saturated) for (const l of this.idleListeners) l();
  }

  private startOne(): void {
    const group = this.groupOf(this.slots.get(this.order[0]!)!.item);
    const n = Math.max(1, this.maxBatch(group));
    const ids: string[] = [];
    let inputs = 0;
    for (let i = 0; i < this.order.length && inputs < n; ) {
      const id = this.order[i]!;
      const item = this.slots.get(id)!.item;
      const w = Math.max(1, this.weightOf(item));
      if (ids.length === 0 || (this.groupOf(item) === group && inputs + w <= n)) {
        ids.push(id);
        inputs += w;
        this.order.splice(i, 1);
      } else i++;
    }
    const startedAt = performance.now();
    const batch = ids.map((cameraId) => {
      const p = this.slots.get(cameraId)!;
      this.slots.delete(cameraId);
      this.waitedTotal += startedAt - p.at;
      return { cameraId, p };
    });
    this.running++;
    const t0 = performance.now();
    void this.runner(batch.map((b) => ({ cameraId: b.cameraId, item: b.p.item })))
      .then((results) => {
        const share = (performance.now() - t0) / batch.length;
        batch.forEach((b, i) => {
          const s = this.statsFor(b.cameraId);
          const r = results[i];
          if (r === undefined) {
            s.errors++;
            b.p.resolve({ status: 'error', message: 'no result for this frame' });
            return;
          }
          s.processed++;
          s.totalMs += this.costOf(r) ?? share;
          b.p.resolve({ status: 'done', value: r });
        });
      })
      .catch((e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        for (const b of batch) {
          this.statsFor(b.cameraId).errors++;
          b.p.resolve({ status: 'error', message });
        }
      })
      .finally(() => {
        this.running--;
        this.pump();
      });
  }
}
