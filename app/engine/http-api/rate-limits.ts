/** Classes of endpoints with their own limits (the planning guide's numbers as defaults). */
export type RateClass = 'read' | 'write' | 'export' | 'auth-failure';

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowS: number;
}

/**
 * Defaults: reads 120 a minute and writes 60 a minute per token and endpoint; report exports 5 an hour per token;
 * requests with a missing or wrong token count like failed sign-ins, 5 a minute per client address.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<RateClass, RateLimit>> = {
  read: { limit: 120, windowS: 60 },
  write: { limit: 60, windowS: 60 },
  export: { limit: 5, windowS: 3600 },
  'auth-failure': { limit: 5, windowS: 60 },
};

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetS: number;
  /** The X-RateLimit-* headers (and Retry-After when refused). */
  headers: Record<string, string>;
}

interface Window {
  start: number;
  used: number;
}

/**
 * Fixed-window counters per key (token + endpoint, or client address for bad tokens), in memory: a restart
 * forgets them (as the sign-in throttle does). Old windows are swept as keys are touched, so memory stays bounded
 * by the keys seen in the last window.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private lastSweep = 0;

  constructor(
    private readonly limits: Readonly<Record<RateClass, RateLimit>> = DEFAULT_RATE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  limitOf(cls: RateClass): RateLimit {
    return this.limits[cls];
  }

  /** Counts one request against `key` in class `cls`. */
  take(cls: RateClass, key: string): RateDecision {
    const { limit, windowS } = this.limits[cls];
    const now = this.now();
    this.sweep(now);
    const k = `${cls}\u0000${key}`;
    let w = this.windows.get(k);
    if (!w || now - w.start >= windowS * 1000) {
      w = { start: now, used: 0 };
      this.windows.set(k, w);
    }
    const allowed = w.used < limit;
    if (allowed) w.used++;
    const resetS = Math.max(1, Math.ceil((w.start + windowS * 1000 - now) / 1000));
    const remaining = Math.max(0, limit - w.used);
    const headers: Record<string, string> = { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(remaining), 'X-RateLimit-Reset': String(resetS) };
    if (!allowed) headers['Retry-After'] = String(resetS);
    return { allowed, limit, remaining, resetS, headers };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    const longest = Math.max(...Object.values(this.limits).map((l) => l.windowS)) * 1000;
    for (const [k, w] of this.windows) if (now - w.start >= longest) this.windows.delete(k);
  }
}
