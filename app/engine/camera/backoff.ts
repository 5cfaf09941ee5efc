/** Options of createBackoff (all optional). */
export interface BackoffOptions {
  /** First delay, ms (default 1000). */
  initialMs?: number;
  /** Ceiling for the un-jittered delay, ms (default 60 000). */
  maxMs?: number;
  /** Growth factor per failed attempt (default 2). */
  factor?: number;
  /** Relative jitter: 0.2 = the delay is multiplied by a factor in [0.8, 1.2) (default 0.2). */
  jitter?: number;
  /** Uniform random source in [0, 1), injectable for tests (default Math.random). */
  random?: () => number;
}

export interface Backoff {
  /** Number of delays handed out since the last reset. */
  readonly attempt: number;
  /** The delay before the next attempt, ms; advances the attempt counter. */
  next(): number;
  /** Back to the initial delay (after a connection proved healthy). */
  reset(): void;
}

/** The un-jittered delay for a 0-based attempt number. */
export function baseDelayMs(attempt: number, initialMs = 1000, maxMs = 60_000, factor = 2): number {
  const exp = Math.min(Math.max(0, attempt), 64);
  return Math.min(maxMs, initialMs * Math.pow(factor, exp));
}

/**
 * Exponential reconnect backoff: 1 s doubling to 60 s, each delay jittered by ±20 % so that many cameras
 * behind one failed switch do not reconnect in lockstep. Pure apart from the injected random source.
 */
export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initialMs = options.initialMs ?? 1000;
  const maxMs = options.maxMs ?? 60_000;
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.2;
  const random = options.random ?? Math.random;
  let attempt = 0;
  return {
    get attempt() {
      return attempt;
    },
    next() {
      const base = baseDelayMs(attempt, initialMs, maxMs, factor);
      attempt += 1;
      const r = Math.min(Math.max(random(), 0), 1);
      return Math.max(0, Math.round(base * (1 - jitter + 2 * jitter * r)));
    },
    reset() {
      attempt = 0;
    },
  };
}
