import type { AnalyticsEvent, CrossDirection } from '../../shared/domain/analytics';
import type { Box } from '../../shared/domain/detection';
import type { LedgerEventInput } from './ledger.repository';

/**
 * The fields of a rule event the ledger keeps. A live AnalyticsEvent has them all; an imported footage event
 * (footage-import.ts) may come without box and figures.
 */
export interface RuleEventForLedger {
  type: AnalyticsEvent['type'];
  /** Rule id. */
  rule: string;
  track: number;
  cls: string;
  score: number;
  /** Line crossings only. */
  dir?: CrossDirection;
  box?: Box;
  /** Seconds inside the zone (zone exit, loiter). */
  dwell?: number;
  /** Members in the zone (zone.overcrowd). */
  occupancy?: number;
}

/** Where and when an event happened, and where it came from. */
export interface LedgerEventContext {
  cameraId: string;
  /** Frame wall-clock time, epoch ms. */
  frameMs: number;
  modelId?: string | null;
  source: LedgerEventInput['source'];
}

/**
 * The one mapping from a rule event to the ledger row that records it, for the live pipeline
 * (events.service.ts) and footage imports (footage-import.ts) alike.
 */
export function ledgerInputOf(e: RuleEventForLedger, at: LedgerEventContext): LedgerEventInput {
  return {
    cameraId: at.cameraId,
    ruleId: e.rule,
    trackId: e.track,
    cls: e.cls,
    type: e.type,
    direction: e.type === 'line.cross' ? e.dir : undefined,
    confidence: e.score,
    frameMs: at.frameMs,
    modelId: at.modelId ?? null,
    box: e.box,
    detail: detailOf(e),
    source: at.source,
  };
}

/** Extra figures kept beside the event: occupancy of an overcrowded zone, dwell seconds of a zone event. */
function detailOf(e: RuleEventForLedger): Record<string, number> | undefined {
  if (e.type === 'zone.overcrowd') return e.occupancy === undefined ? undefined : { occupancy: e.occupancy };
  if (e.type !== 'line.cross' && e.dwell !== undefined) return { dwell: e.dwell };
  return undefined;
}
