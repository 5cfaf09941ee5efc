import type { Box } from './detection';

/** Direction of a line crossing. "in" = along the line's in-normal (see rules.ts). */
export type CrossDirection = 'in' | 'out';

interface EventBase {
  /** Rule id. */
  rule: string;
  /** Confirmed track id (per camera). */
  track: number;
  /** Stream time in seconds. */
  t: number;
  cls: string;
  score: number;
  box: Box;
}

export interface LineCrossEvent extends EventBase {
  type: 'line.cross';
  dir: CrossDirection;
}

export interface ZoneEvent extends EventBase {
  type: 'zone.enter' | 'zone.exit' | 'zone.loiter' | 'zone.intrusion';
  /** Seconds inside the zone so far (exit, loiter). */
  dwell?: number;
}

/** Occupancy stayed above the limit for the configured time; `track` is the most recent member. */
export interface ZoneOvercrowdEvent extends EventBase {
  type: 'zone.overcrowd';
  occupancy: number;
}

export type AnalyticsEvent = LineCrossEvent | ZoneEvent | ZoneOvercrowdEvent;

export interface LineCounter {
  kind: 'line';
  in: number;
  out: number;
}
export interface ZoneCounter {
  kind: 'zone';
  enter: number;
  exit: number;
  occupancy: number;
  maxOccupancy: number;
}
/** Counters per rule id. */
export type RuleCounters = Record<string, LineCounter | ZoneCounter>;
