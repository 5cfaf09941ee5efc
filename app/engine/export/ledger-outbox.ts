import type { AlarmChange } from '../alarms/alarm-store';
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

/**
 * The outbox item of one alarm transition. Its id is `<alarm id>-<history seq>`: deterministic, so the sink's
 * idempotent upsert sees a re-delivered transition as the same event. A site-level system alarm has no camera
 * (`cameraId` null, which every sink's camera filter lets through) and adds `subject` and `detail` to `data`.
 */
export function alarmOutboxItem(c: AlarmChange): OutboxItem {
  const { alarm: a, entry: e } = c;
  const data: Record<string, unknown> = {
    alarmId: a.id,
    action: e.action,
    from: e.fromStatus,
    to: e.toStatus,
    priority: e.priority,
    by: e.by,
    alarmType: a.type,
    condition: a.condition,
    trackId: a.trackId,
    ledgerEventId: a.eventId,
  };
  // Site-level system alarms (cameraId null): what they are about and the numbers they were raised with.
  if (a.kind === 'system') {
    data.subject = a.subject;
    data.detail = a.detail;
  }
  if (e.outcome) data.outcome = e.outcome;
  if (e.comment) data.comment = e.comment;
  return { id: `${a.id}-${e.seq}`, type: 'alarm.transition', cameraId: a.cameraId, ruleId: a.ruleId, atMs: e.atMs, data };
}
