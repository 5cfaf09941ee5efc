/** Strings of voiding and correcting ledger events in the Events page. */
export const enLedgerAmend = {
  title: 'Void or correct this event',
  void: 'Void…',
  correct: 'Correct…',
  voidSubmit: 'Void event',
  correctSubmit: 'Save correction',
  cancel: 'Cancel',
  reason: 'Reason (kept in the audit trail)',
  reasonPlaceholder: 'What was wrong, e.g. a reflection in the glass door',
  direction: 'Direction',
  cls: 'Object',
  dirIn: 'in',
  dirOut: 'out',
  voidHelp: 'The event stays in the ledger, struck through, and no longer counts in totals or reports.',
  correctHelp: 'Totals and reports count the corrected values; the original stays on record.',
  nothingChanged: 'Change the direction or the object first.',
  onlySupervisor: 'Only a supervisor can void or correct events.',
  alreadyVoided: 'Voided events cannot be changed.',
  /** In the list's detail cell and the side panel. */
  voidedBy: (by: string | null, reason: string) => `Voided by ${by ?? 'unknown'}: ${reason}`,
  correctedBy: (by: string | null, reason: string) => `Corrected by ${by ?? 'unknown'}: ${reason}`,
  /** Side panel: who and when on the first line, the reason below. */
  voidedHead: (by: string | null) => `Voided by ${by ?? 'unknown'}`,
  correctedHead: (by: string | null) => `Corrected by ${by ?? 'unknown'}`,
  was: (value: string) => `(was ${value})`,
  done: { void: 'Event voided.', correct: 'Correction saved.' },
} as const;
