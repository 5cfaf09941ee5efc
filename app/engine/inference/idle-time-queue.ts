/** How a low-priority job ended: its result, not run (and why), or its error. */
export type IdleJobOutcome<R> = { status: 'done'; value: R } | { status: 'skipped'; reason: string } | { status: 'error'; message: string };

export interface IdleTimeQueueOptions<T, R> {
  run: (item: T) => Promise<R>;
  /**
   * A session for one job and its release, or null while higher-priority work waits or fills every session
   * (FairScheduler.lendSession): no job starts then.
   */
  acquire: () => (() => void) | null;
  /** Milliseconds higher-priority work has waited for a session so far, a growing total (FairScheduler.waitedMs). */
  waitedMs: () => number;
  /**
   * The most of the time jobs may keep higher-priority work waiting: after a job during which frames waited W ms
   * for a session, the next job starts no sooner than W x (1 / share - 1) later.
   */
  share: number;
  /** Jobs that may wait at once (one per key); a job for a new key beyond this is refused. */
  capacity: number;
  now?: () => number;
}

/**
 * The inference worker's low-priority job class (the face step's looks, issue 23):
 * - jobs run one at a time, and one starts only when person detection has no frame waiting and a session free;
 *   it then holds that session (`acquire`) until it ends, so detection frames and jobs together never keep more
 *   threads busy than there are sessions. The worker kicks the queue whenever its FairScheduler becomes idle.
 * - a job that has started runs to its end (a few face-model runs, tens of ms). When detection frames had to
 *   wait for a session meanwhile, the next job rests in proportion, so that frames are kept waiting by jobs at
 *   most `share` of the time: person detection keeps the rest even when it has a frame for every moment, while on
 *   a site with sessions to spare jobs follow each other at once.
 * - bounded: one waiting job per key (camera), a newer one replaces it (the older is answered `skipped`), and at
 *   most `capacity` keys wait; beyond that a new job is refused (`skipped`).
 */
export class IdleTimeQueue<T, R> {
  private readonly waiting = new Map<string, { item: T; resolve: (o: IdleJobOutcome<R>) => void }>();
  private running = false;
  private kickPending = false;
  private closed = false;
  /** No job starts before this time (ms, `now()`): the pause after a job that kept detection waiting. */
  private restUntil = 0;
  private restTimer: NodeJS.Timeout | null = null;

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
    if (this.restTimer) clearTimeout(this.restTimer);
    this.restTimer = null;
    for (const [, w] of this.waiting) w.resolve({ status: 'skipped', reason: 'the inference worker is stopping' });
    this.waiting.clear();
  }

  private startNext(): void {
    if (this.running || this.closed || this.waiting.size === 0 || this.restTimer) return;
    const now = this.now();
    if (now < this.restUntil) {
      this.restTimer = setTimeout(() => {
        this.restTimer = null;
        this.kick();
      }, this.restUntil - now);
      return;
    }
    const release = this.o.acquire();
    if (!release) return; // detection needs every session: kicked again when the scheduler is idle
    const [key, job] = this.waiting.entries().next().value!;
    this.waiting.delete(key);
    this.running = true;
    const waitedBefore = this.o.waitedMs();
    void this.o
      .run(job.item)
      .then(
        (value) => job.resolve({ status: 'done', value }),
        (e: unknown) => job.resolve({ status: 'error', message: e instanceof Error ? e.message : String(e) }),
      )
      .finally(() => {
        this.running = false;
        release(); // frames that waited for this session start now: their wait is counted
        const waited = this.o.waitedMs() - waitedBefore;
        if (waited > 0) this.restUntil = this.now() + waited * (1 / Math.min(1, Math.max(0.01, this.o.share)) - 1);
        this.kick();
      });
  }

  private now(): number {
    return (this.o.now ?? performance.now.bind(performance))();
  }
}
