import type { BreakerState } from '../../shared/domain/export';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker (default 3). */
  failureThreshold?: number;
  /** First backoff, ms (default 500). */
  baseMs?: number;
  /** Longest backoff or open period, ms (default 60 000). */
  maxMs?: number;
  /** 0..1 random source for the jitter (tests pass a fixed one). */
  random?: () => number;
}

/**
 * Per-sink circuit breaker (diagram in app/shared/domain/export.ts): closed → open after `failureThreshold`
 * consecutive failures; open → half-open once the open period has elapsed; half-open → closed on a successful
 * probe, → open again (a longer period) on a failed one. Waits grow exponentially with "equal jitter"
 * (half fixed, half random) so many workstations do not retry in lock-step, capped at `maxMs`.
 */
export class CircuitBreaker {
  private s: BreakerState = 'closed';
  private failures = 0;
  private until = 0;
  private readonly threshold: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;
  /** Every state change, oldest first (bounded), for status and tests. */
  readonly history: { state: BreakerState; at: number }[] = [];

  constructor(o: CircuitBreakerOptions = {}) {
    this.threshold = Math.max(1, o.failureThreshold ?? 3);
    this.baseMs = Math.max(1, o.baseMs ?? 500);
    this.maxMs = Math.max(this.baseMs, o.maxMs ?? 60_000);
    this.random = o.random ?? Math.random;
  }

  get state(): BreakerState {
    return this.s;
  }

  /** When the next attempt may start (epoch ms; 0 = now). */
  get nextAttemptAt(): number {
    return this.until;
  }

  /** Whether an attempt may start now; moves open → half-open when the open period is over. */
  canAttempt(now: number): boolean {
    if (now < this.until) return false;
    if (this.s === 'open') this.set('half-open', now);
    return true;
  }

  /** A delivery went through. */
  onSuccess(now: number): void {
    this.failures = 0;
    this.until = 0;
    if (this.s !== 'closed') this.set('closed', now);
  }

  /** A delivery failed (transient or configuration): returns the wait before the next attempt, ms. */
  onFailure(now: number): number {
    this.failures++;
    if (this.s === 'half-open' || (this.s === 'closed' && this.failures >= this.threshold)) {
      this.set('open', now);
    }
    // Backoff and open periods follow one exponential sequence over consecutive failures.
    const wait = this.jittered(this.failures - 1);
    this.until = now + wait;
    return wait;
  }

  private jittered(exp: number): number {
    const full = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(30, Math.max(0, exp)));
    return Math.round(full / 2 + (full / 2) * this.random());
  }

  private set(state: BreakerState, at: number): void {
    this.s = state;
    this.history.push({ state, at });
    if (this.history.length > 200) this.history.shift();
  }
}
