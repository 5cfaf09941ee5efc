import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  it('closed → open after the threshold, open → half-open after the open period, half-open → closed on success', () => {
    const b = new CircuitBreaker({ failureThreshold: 3, baseMs: 100, maxMs: 10_000, random: () => 1 });
    expect(b.state).toBe('closed');
    expect(b.onFailure(0)).toBe(100);
    expect(b.onFailure(100)).toBe(200);
    expect(b.state).toBe('closed');
    const open = b.onFailure(300);
    expect(b.state).toBe('open');
    expect(open).toBe(400);
    expect(b.canAttempt(300 + open - 1)).toBe(false);
    expect(b.state).toBe('open');
    expect(b.canAttempt(300 + open)).toBe(true);
    expect(b.state).toBe('half-open');
    b.onSuccess(800);
    expect(b.state).toBe('closed');
    expect(b.canAttempt(800)).toBe(true);
    expect(b.history.map((h) => h.state)).toEqual(['open', 'half-open', 'closed']);
  });

  it('a failed probe re-opens for longer, capped at maxMs; jitter stays within [half, full]', () => {
    const b = new CircuitBreaker({ failureThreshold: 1, baseMs: 1000, maxMs: 4000, random: () => 0 });
    let now = 0;
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      waits.push(b.onFailure(now));
      expect(b.state).toBe('open');
      now = b.nextAttemptAt;
      expect(b.canAttempt(now)).toBe(true);
      expect(b.state).toBe('half-open');
    }
    expect(waits).toEqual([500, 1000, 2000, 2000, 2000, 2000]);
    const r = new CircuitBreaker({ failureThreshold: 5, baseMs: 1000, random: Math.random });
    for (let i = 0; i < 50; i++) {
      const w = r.onFailure(0);
      r.onSuccess(0);
      expect(w).toBeGreaterThanOrEqual(500);
      expect(w).toBeLessThanOrEqual(1000);
    }
  });
});
