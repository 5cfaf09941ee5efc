/** How a low-priority job ended: its result, not run (and why), or its error. */
export type IdleJobOutcome<R> = { status: 'done'; value: R } | { status: 'skipped'; reason: string } | { status: 'error'; message: string };

export interface IdleTimeQueueOptions<T, R> {
  run: (item: T) => Promise<R>;
  /** True while higher-priority work waits or fills every session: no job starts then. */
  busy: () => boolean;
  /** Jobs that may wait at once (one per key); a job for a new key beyond this is refused. */
  capacity: number;
}

/**
 * The inference worker's low-priority job class (the face step's looks, issue 23): jobs run one at a time, and
 * one starts only when person detection has nothing waiting and a session free (`busy()` false); the worker
 * kicks the queue whenever its FairScheduler becomes idle. Person-detection frames therefore always go first;
 * a job that has started runs to its end (a few face-model runs, tens of ms), which is all the delay it can
 * cause a detection frame. Bounded: one waiting job per key (camera), a newer one replaces it (the older is
 * answered `skipped`), and at most `capacity` keys wait; beyond that a new job is refused (`skipped`).
 */
export class IdleTimeQueue<T, R> {
  private readonly waiting = new Map<string, { item: T; resolve: (o: IdleJobOutcome<R>) => void }>();
  private running = false;
  private kickPending = false;
  private closed = false;

  constructor(private readonly o: IdleTimeQueueOptions<T, R>) {}

  submit(key: string, item: T): Promise<IdleJobOutcome<R>> {
    if (this.closed) return Promise.resolve({ status: 'skipped', reason: 'the inference worker is stopping' });
    const old = this.waiting.get(key);
    if (!old && this.waiting.size >= this.o.capacity) return Promise.resolve({ status: 'skipped', reason: 'face looks queue full' });
    return new Promise((resolve) => {
      if (old) {
        old.resolve({ status: 'skipped', reason: 'replaced by a newer look of the camera' });
        this.waiting.delete(key); // the newer one goes to the back
      }
      this.waiting.set(key, { item, resolve });
      this.kick();
    });
  }

  /** Jobs waiting now. */
  get pendingCount(): number {
    return this.waiting.size;
  }

  /**
   * Starts the next job if nothing runs and detection is not busy. Deferred to the next turn of the event loop,
   * so that socket reads of detection frames that already arrived are handled (and scheduled) first.
   */
  kick(): void {
    if (this.kickPending || this.closed) return;
    this.kickPending = true;
    setImmediate(() => {
      this.kickPending = false;
      this.startNext();
    });
  }

  /** Answers every waiting job `skipped` and refuses new ones; a running job still ends. */
  close(): void {
    this.closed = true;
    for (const [, w] of this.waiting) w.resolve({ status: 'skipped', reason: 'the inference worker is stopping' });
    this.waiting.clear();
  }

  private startNext(): void {
    if (this.running || this.closed || this.waiting.size === 0 || this.o.busy()) return;
    const [key, job] = this.waiting.entries().next().value!;
    this.waiting.delete(key);
    this.running = true;
    void this.o
      .run(job.item)
      .then(
        (value) => job.resolve({ status: 'done', value }),
        (e: unknown) => job.resolve({ status: 'error', message: e instanceof Error ? e.message : String(e) }),
      )
      .finally(() => {
        this.running = false;
        this.kick();
      });
  }
}
