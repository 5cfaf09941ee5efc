import type { Rule } from '../../../shared/domain/rules';
import type { InvokeOutput } from '../../../shared/ipc/contracts';
import { t } from '../i18n/en';

export type DryRunResult = InvokeOutput<'rules:dry-run'>;

/** "Would have counted 112 in / 97 out and raised 3 alarms (540 tracks since 09:14)". */
export function dryRunSummary(rule: Rule, r: DryRunResult, formatTime: (ms: number) => string): string {
  const counted = rule.type === 'line' ? t.rules.dryRunLine(r.in, r.out) : t.rules.dryRunZone(r.enter, r.exit);
  const basis = r.tracks === 0 ? t.rules.dryRunNoTracks : t.rules.dryRunBasis(r.tracks, formatTime(r.since));
  return `${counted}${t.rules.dryRunAlarms(r.alarms)} ${basis}`;
}

/**
 * Keeps only the newest request's answer: each call gets a ticket, and an answer is accepted only while its
 * ticket is still the latest (a slow answer for an older edit never overwrites a newer one).
 */
export class LatestOnly {
  private ticket = 0;
  next(): number {
    return ++this.ticket;
  }
  isCurrent(ticket: number): boolean {
    return ticket === this.ticket;
  }
}
