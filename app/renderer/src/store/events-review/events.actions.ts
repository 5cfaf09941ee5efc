import type { InvokeInput, InvokeOutput, PushPayload } from '../../../../shared/ipc/contracts';
import type { StoreDeps } from '../store-deps';

export interface EventsActions {
  /**
   * One page of ledger events, newest first (keyset paging: pass the previous page's nextCursor). Rows are
   * kept by the events page itself, not in the store: 100 000 rows would wake every subscriber.
   */
  listEvents(filter: InvokeInput<'events:list'>): Promise<InvokeOutput<'events:list'>>;
  /** One page of the events review: ledger events and alarm/health-alarm history steps merged, newest first. */
  reviewEvents(filter: InvokeInput<'events:review'>): Promise<InvokeOutput<'events:review'>>;
  /**
   * Voids a ledger event with a reason (supervisor; the guarded API asks for the password, or a second person
   * where the security policy says so). Resolves with the row as it now reads; rejects when refused or cancelled.
   */
  voidEvent(input: InvokeInput<'events:void'>): Promise<InvokeOutput<'events:void'>>;
  /** Corrects a ledger event's direction and/or class with a reason (supervisor, password); resolves with the row as it now reads. */
  correctEvent(input: InvokeInput<'events:correct'>): Promise<InvokeOutput<'events:correct'>>;
  /** Every new ledger event the host writes (push `events:new`), for the events list to update itself; returns the unsubscribe. */
  onNewEvent(cb: (row: PushPayload<'events:new'>) => void): () => void;
}

export function createEventsActions({ api }: StoreDeps): EventsActions {
  return {
    listEvents: (filter) => api.invoke('events:list', filter),
    reviewEvents: (filter) => api.invoke('events:review', filter),
    voidEvent: (input) => api.invoke('events:void', input),
    correctEvent: (input) => api.invoke('events:correct', input),
    onNewEvent: (cb) => api.on('events:new', cb),
  };
}
