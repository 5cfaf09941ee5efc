import type { LedgerEventInput } from '../ledger/ledger.repository';
import type { Db } from '../storage/database';
import { Outbox, type OutboxItem } from './outbox';

/** The outbox item of a ledger row (its id is the event id at every sink). */
export function ledgerOutboxItem(e: LedgerEventInput & { id: string }): OutboxItem {
  const data: Record<string, unknown> = { cls: e.cls, confidence: e.confidence, trackId: Math.trunc(e.trackId), source: e.source };
  if (e.type === 'line.cross') data.direction = e.direction ?? null;
  if (e.modelId) data.modelId = e.modelId;
  if (e.detail) Object.assign(data, e.detail);
  if (e.box) data.box = e.box;
  return { id: e.id, type: e.type, cameraId: e.cameraId, ruleId: e.ruleId, atMs: e.frameMs, data };
}

/**
 * The ledger's in-transaction hook for writers outside the running engine (footage import from the CLI): the
 * outbox copy of each new row is written in the same transaction, for whichever sinks the database has.
 */
export function ledgerOutboxHook(db: Db): (db: Db, row: LedgerEventInput & { id: string }) => void {
  const outbox = new Outbox(db);
  return (txDb, row) => void outbox.enqueueInTx(txDb, ledgerOutboxItem(row));
}
