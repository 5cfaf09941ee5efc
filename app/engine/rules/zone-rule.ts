import type { AnalyticsEvent, ZoneCounter } from '../../shared/domain/analytics';
import type { ScheduleWindow, ZoneRule } from '../../shared/domain/rules';
import { boxAnchor } from '../../shared/geometry/box';
import type { Point } from '../../shared/geometry/point';
import { pointInPolygon } from '../../shared/geometry/polygon';
import type { RuleTrackInput } from './rule-input';

/** Per track, per zone membership. Moves to a successor track on a break (the visit goes on). */
export interface ZoneTrackState {
  inside: boolean;
  /** Membership being confirmed (differs from `inside`) and since when; null when stable. */
  pending: boolean | null;
  pendingSince: number;
  enteredAt: number;
  loiterSent: boolean;
  intrusionSent: boolean;
}

export function newZoneTrackState(): ZoneTrackState {
  return { inside: false, pending: null, pendingSince: 0, enteredAt: 0, loiterSent: false, intrusionSent: false };
}

/** Whether epoch-ms `now` falls in any window (local time). No windows = always. */
export function scheduleActive(windows: readonly ScheduleWindow[] | undefined, now: number): boolean {
  if (!windows || windows.length === 0) return true;
  const d = new Date(now);
  const minutes = d.getHours() * 60 + d.getMinutes();
  const day = d.getDay();
  const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  return windows.some((w) => {
    const from = toMin(w.from);
    const to = toMin(w.to);
    const onDay = (dd: number) => !w.days || w.days.includes(dd);
    if (from <= to) return onDay(day) && minutes >= from && minutes < to;
    // Spans midnight: the evening part belongs to today, the morning part to the window that began yesterday.
    return (onDay(day) && minutes >= from) || (onDay((day + 6) % 7) && minutes < to);
  });
}

type Emit = (e: AnalyticsEvent) => void;

/** One zone rule: membership per track plus zone-wide occupancy and overcrowding. */
export class ZoneRuleEvaluator {
  private readonly poly: Point[];
  private overSince: number | null = null;
  private overSent = false;

  constructor(
    readonly rule: ZoneRule,
    readonly counter: ZoneCounter,
  ) {
    this.poly = rule.points.map((p) => [p[0], p[1]] as Point);
  }

  applies(cls: string): boolean {
    return this.rule.enabled && this.rule.classes.includes(cls);
  }

  /**
   * Folds one observation in. `present` false = treat as outside now (stationary object, rule no longer
   * applies). `moved` false = the object has not moved since it was first seen: its entry stays pending.
   */
  observe(st: ZoneTrackState, obs: RuleTrackInput, t: number, wallMs: number, emit: Emit, present = true, moved = true): void {
    const inNow = present && pointInPolygon(boxAnchor(obs.box, this.rule.anchor), this.poly);
    const base = { rule: this.rule.id, track: obs.id, cls: obs.cls, score: obs.score, box: [...obs.box] as typeof obs.box };
    if (inNow === st.inside) st.pending = null;
    else {
      if (st.pending !== inNow) {
        st.pending = inNow;
        st.pendingSince = t;
      }
      if (!present || (t - st.pendingSince >= this.rule.minSeconds && (moved || !inNow))) {
        st.pending = null;
        if (inNow) {
          st.inside = true;
          st.enteredAt = st.pendingSince;
          st.loiterSent = false;
          st.intrusionSent = false;
          this.counter.enter += 1;
          emit({ type: 'zone.enter', t, ...base });
        } else this.leave(st, obs, t, emit);
      }
    }
    if (!st.inside) return;
    if (this.rule.loiterSeconds !== undefined && !st.loiterSent && t - st.enteredAt > this.rule.loiterSeconds) {
      st.loiterSent = true;
      emit({ type: 'zone.loiter', t, dwell: t - st.enteredAt, ...base });
    }
    if (this.rule.intrusion && !st.intrusionSent && scheduleActive(this.rule.intrusion.schedule, wallMs)) {
      st.intrusionSent = true;
      emit({ type: 'zone.intrusion', t, dwell: t - st.enteredAt, ...base });
    }
  }

  /**
   * Seeds a new track's state from its first (pre-confirmation) box: when that box's anchor is inside, entry is
   * pending since the track was first seen, so confirmation time does not delay the entry (nor shorten dwell).
   * The entry itself still needs the confirmed track inside.
   */
  observeBirth(st: ZoneTrackState, obs: RuleTrackInput, t: number): void {
    if (st.inside || !pointInPolygon(boxAnchor(obs.box, this.rule.anchor), this.poly)) return;
    st.pending = true;
    st.pendingSince = t;
  }

  /** The track is gone (or forgotten): it leaves the zone if it was inside. */
  leave(st: ZoneTrackState, obs: RuleTrackInput, t: number, emit: Emit): void {
    if (!st.inside) return;
    st.inside = false;
    st.pending = null;
    this.counter.exit += 1;
    emit({ type: 'zone.exit', rule: this.rule.id, track: obs.id, t, cls: obs.cls, score: obs.score, box: [...obs.box], dwell: t - st.enteredAt });
  }

  /** After all tracks were folded in for this frame: occupancy and overcrowding. */
  finishFrame(occupancy: number, t: number, last: RuleTrackInput | null, emit: Emit): void {
    this.counter.occupancy = occupancy;
    this.counter.maxOccupancy = Math.max(this.counter.maxOccupancy, occupancy);
    const oc = this.rule.overcrowd;
    if (!oc || !this.rule.enabled) return;
    if (occupancy <= oc.maxOccupancy) {
      this.overSince = null;
      this.overSent = false;
      return;
    }
    this.overSince ??= t;
    if (!this.overSent && t - this.overSince >= oc.forSeconds && last) {
      this.overSent = true;
      emit({ type: 'zone.overcrowd', rule: this.rule.id, track: last.id, t, cls: last.cls, score: last.score, box: [...last.box], occupancy });
    }
  }
}
