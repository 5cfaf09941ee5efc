import type { HealthReport } from '../../../../shared/domain/health';
import type { HealthState } from './health.state';

export function reportReceived(s: HealthState, report: HealthReport, now: number): HealthState {
  // Ignore a poll answer older than a pushed report we already hold.
  if (s.report && Date.parse(report.at) < Date.parse(s.report.at)) return s;
  return { report, receivedAt: now, error: null };
}
export function reportFailed(s: HealthState, message: string): HealthState {
  return { ...s, error: message };
}
/** Whether a fallback poll is due: nothing received for `maxAgeMs`. */
export function pollDue(s: HealthState, now: number, maxAgeMs: number): boolean {
  return s.receivedAt === null || now - s.receivedAt >= maxAgeMs;
}
