import type { AnalyticsEvent, RuleCounters } from '../../shared/domain/analytics';
import type { Box } from '../../shared/domain/detection';
import type { Rule } from '../../shared/domain/rules';
import type { RulesEngineConfig } from './rule-input';
import { RulesEngine } from './rules-engine';

/** A stored track: its samples in time order. */
export interface StoredTrack {
  id: number;
  cls: string;
  samples: ReadonlyArray<{ t: number; box: Box; score?: number }>;
}

/**
 * "Dry run": applies rules to stored track polylines (e.g. to preview a new line on yesterday's tracks) with the
 * same engine as live analysis. Samples sharing a timestamp are one frame. Intrusion schedules use `wallMs(t)`.
 */
export function dryRunRules(
  rules: readonly Rule[],
  tracks: readonly StoredTrack[],
  options: { engine?: Partial<RulesEngineConfig>; wallMs?: (t: number) => number } = {},
): { events: AnalyticsEvent[]; counters: RuleCounters } {
  const byTime = new Map<number, Array<{ id: number; cls: string; box: Box; score: number }>>();
  for (const tr of tracks) {
    for (const s of tr.samples) {
      let list = byTime.get(s.t);
      if (!list) byTime.set(s.t, (list = []));
      list.push({ id: tr.id, cls: tr.cls, box: s.box, score: s.score ?? 1 });
    }
  }
  const engine = new RulesEngine(rules, options.engine);
  const events: AnalyticsEvent[] = [];
  const times = [...byTime.keys()].sort((a, b) => a - b);
  for (const t of times) {
    events.push(...engine.update(byTime.get(t)!, t, options.wallMs?.(t) ?? 0).events);
  }
  // Flush: let remembered tracks expire so zone visits close.
  const end = times.length ? times[times.length - 1]! : 0;
  events.push(...engine.update([], end + 3600, options.wallMs?.(end) ?? 0).events);
  return { events, counters: engine.getCounters() };
}
