import type { LedgerRowView } from '../../../shared/ipc/events.contract';
import { t } from '../i18n/en';

type Marks = Pick<LedgerRowView, 'direction' | 'originalDirection' | 'cls' | 'originalCls' | 'voided' | 'voidedBy' | 'voidReason' | 'corrected' | 'correctedBy' | 'correctionReason'>;

/** The effective direction, with the recorded one noted when a correction changed it: "in (was out)". */
export function directionText(r: Marks): string {
  if (r.direction === null) return '';
  return r.originalDirection !== null && r.originalDirection !== r.direction ? `${r.direction} ${t.ledgerAmend.was(r.originalDirection)}` : r.direction;
}

/** The effective object class, with the recorded one noted when a correction changed it: "person (was car)". */
export function classText(r: Marks): string {
  return r.originalCls !== r.cls ? `${r.cls} ${t.ledgerAmend.was(r.originalCls)}` : r.cls;
}

/** Officer-readable marks of a row: who voided or corrected it and why, and what a correction changed. */
export function amendNotes(r: Marks): { voided: string | null; corrected: string | null; changes: string | null } {
  const changes = [
    r.originalDirection !== r.direction && r.direction !== null ? `${t.ledgerAmend.direction}: ${directionText(r)}` : null,
    r.originalCls !== r.cls ? `${t.ledgerAmend.cls}: ${classText(r)}` : null,
  ].filter((x): x is string => x !== null);
  return {
    voided: r.voided ? t.ledgerAmend.voidedBy(r.voidedBy, r.voidReason ?? '') : null,
    corrected: r.corrected ? t.ledgerAmend.correctedBy(r.correctedBy, r.correctionReason ?? '') : null,
    changes: changes.length ? changes.join(' · ') : null,
  };
}

/**
 * The note line under an amended row in the list: the void wins (a voided row no longer counts), else the
 * correction with what it changed. Empty for a row as recorded.
 */
export function rowNote(r: Marks): string {
  const n = amendNotes(r);
  if (n.voided) return n.voided;
  if (!n.corrected) return '';
  return n.changes ? `${n.corrected} \u2014 ${n.changes}` : n.corrected;
}
