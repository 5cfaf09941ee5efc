import type { DeadLetter, ExportSinkView, OutboxStatus } from '../../../../shared/domain/export';

/** Export sinks as the admin page shows them. */
export interface ExportState {
  /** null until the first load. */
  sinks: ExportSinkView[] | null;
  outbox: OutboxStatus | null;
  loadError: string | null;
  /** Sink being edited: an id, `new`, or null. */
  editing: string | null;
  /** Error of the last save (shown in the form). */
  saveError: string | null;
  busy: boolean;
  /** Result of the last "Test" per sink. */
  tests: Record<string, { ok: boolean; message: string } | 'running'>;
  /** Dead letters of the sink whose panel is open. */
  deadLetters: { sinkId: string; rows: DeadLetter[] } | null;
  /** Last action's outcome line (replay, retry), per sink. */
  notices: Record<string, string>;
}

export const initialExportState: ExportState = { sinks: null, outbox: null, loadError: null, editing: null, saveError: null, busy: false, tests: {}, deadLetters: null, notices: {} };
