import type { FloodState } from '../../shared/domain/alarms';

export interface FloodMonitorOptions {
  /** Alarms opened after this time (ms). */
  openedSince: (sinceMs: number) => number;
  /** The configured rate: more than `threshold` alarms opened within `windowS` seconds is a flood. */
  rate: () => { threshold: number; windowS: number };
  now: () => number;
  /** The state changed: a flood began or ended, or its count changed during a flood. */
  onChange: (state: FloodState) => void;
}

/**
 * The site's alarm flood state (ISA-18.2's "alarm flood": more alarms than one operator can handle, about 10 in
 * 10 minutes). Judged from the alarms opened within a sliding window each time one opens and on every timer tick,
 * so a flood clears by itself once the window holds no more than the threshold. Repeats folded into an open alarm
 * are not openings and do not count.
 */
export class FloodMonitor {
  private current: FloodState = { active: false, sinceMs: null, openedInWindow: 0, threshold: 0, windowS: 0 };
  /** When the last flood ended (null: none yet); escalation clocks restart from it. */
  endedMs: number | null = null;

  constructor(private readonly o: FloodMonitorOptions) {}

  state(): FloodState {
    return this.current;
  }

  /** Re-judges the state now; calls onChange when it changed. */
  evaluate(): FloodState {
    const now = this.o.now();
    const { threshold, windowS } = this.o.rate();
    const openedInWindow = this.o.openedSince(now - windowS * 1000);
    const active = openedInWindow > threshold;
    const prev = this.current;
    const next: FloodState = { active, sinceMs: active ? (prev.active ? prev.sinceMs : now) : null, openedInWindow, threshold, windowS };
    this.current = next;
    if (prev.active && !active) this.endedMs = now;
    const changed = prev.active !== active || (active && prev.openedInWindow !== openedInWindow) || prev.threshold !== threshold || prev.windowS !== windowS;
    if (changed) this.o.onChange(next);
    return next;
  }
}
