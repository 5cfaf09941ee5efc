import { SystemAlarmDetailSchema } from '../../shared/domain/alarms';
import type { AlarmStepRow, LedgerRowView, ReviewRow } from '../../shared/ipc/events.contract';

type LedgerEventType = LedgerRowView['type'];
import type { InvokeOutput, InvokeParsedInput } from '../../shared/ipc/contracts';
import type { LedgerRepository } from '../ledger/ledger.repository';
import type { Db } from '../storage/database';

const LEDGER_TYPES = new Set(['line.cross', 'zone.enter', 'zone.exit', 'zone.loiter', 'zone.intrusion', 'zone.overcrowd']);

/** Position of one source: not started ('*'), exhausted ('.'), or after the given key. */
type Pos = { state: 'start' } | { state: 'end' } | { state: 'after'; ledgerId?: string; atMs?: number; hid?: number };

/** Cursor text: `<ledger pos>;<alarm pos>`, each '*', '.', a ledger id, or `<atMs>,<history id>`. */
function parseCursor(c: string | undefined): { ledger: Pos; alarm: Pos } {
  if (!c) return { ledger: { state: 'start' }, alarm: { state: 'start' } };
  const [l = '*', a = '*'] = c.split(';');
  const pos = (s: string, alarm: boolean): Pos => {
    if (s === '*') return { state: 'start' };
    if (s === '.') return { state: 'end' };
    if (!alarm) return { state: 'after', ledgerId: s };
    const [ms, id] = s.split(',').map(Number);
    return Number.isFinite(ms) && Number.isFinite(id) ? { state: 'after', atMs: ms, hid: id } : { state: 'start' };
  };
  return { ledger: pos(l, false), alarm: pos(a, true) };
}

function posText(p: Pos): string {
  if (p.state === 'start') return '*';
  if (p.state === 'end') return '.';
  return p.ledgerId ?? `${p.atMs},${p.hid}`;
}

interface StepSql {
  hid: number;
  alarm_id: string;
  action: AlarmStepRow['action'];
  to_status: AlarmStepRow['toStatus'];
  priority: number;
  by_user: string;
  at_ms: number;
  outcome: AlarmStepRow['outcome'];
  comment: string | null;
  kind: 'rule' | 'health' | 'system';
  camera_id: string | null;
  subject: string | null;
  rule_id: string | null;
  condition: AlarmStepRow['condition'];
  type: string;
  snapshot: string | null;
  detail: string | null;
}

const ALARM_KIND_OF: Record<string, 'rule' | 'health' | 'system'> = { alarm: 'rule', health: 'health', system: 'system' };
const REVIEW_TYPE_OF = { rule: 'alarm', health: 'health', system: 'system' } as const;

/**
 * Events review over all kinds: ledger events (keyset on the ULID) and alarm history steps (keyset on at_ms, id),
 * each source paged by its own index, merged newest first. The cursor holds both positions, so deep pages cost
 * the same as the first.
 */
export function reviewEvents(db: Db, ledger: LedgerRepository, i: InvokeParsedInput<'events:review'>): InvokeOutput<'events:review'> {
  const cur = parseCursor(i.cursor);
  const types = i.types?.length ? i.types : null;
  const ledgerTypes = types ? types.filter((t) => LEDGER_TYPES.has(t)) : null;
  const alarmKinds = types ? types.flatMap((t) => (ALARM_KIND_OF[t] ? [ALARM_KIND_OF[t]] : [])) : ['rule', 'health', 'system'];
  const limit = i.limit;

  let ledgerRows: ReviewRow[] = [];
  if (cur.ledger.state !== 'end' && (ledgerTypes === null || ledgerTypes.length > 0)) {
    ledgerRows = ledger
      .list({
        cameraId: i.cameraId,
        ruleId: i.ruleId,
        types: (ledgerTypes ?? undefined) as LedgerEventType[] | undefined,
        fromMs: i.from,
        toMs: i.to,
        beforeId: cur.ledger.state === 'after' ? cur.ledger.ledgerId : undefined,
        limit,
      })
      .map((r) => ({ ...r, kind: 'ledger' as const }));
  }
  const ledgerExhaustedAfterFetch = cur.ledger.state === 'end' || ledgerRows.length < limit;

  let stepRows: ReviewRow[] = [];
  if (cur.alarm.state !== 'end' && alarmKinds.length > 0) {
    const where: string[] = [`a.kind IN (${alarmKinds.map((k) => `'${k}'`).join(', ')})`];
    const args: Record<string, unknown> = { limit };
    const add = (clause: string, values: Record<string, unknown>) => {
      where.push(clause);
      Object.assign(args, values);
    };
    if (i.cameraId) add('a.camera_id = @cameraId', { cameraId: i.cameraId });
    if (i.ruleId) add('a.rule_id = @ruleId', { ruleId: i.ruleId });
    if (i.from !== undefined) add('h.at_ms >= @fromMs', { fromMs: Math.floor(i.from) });
    if (i.to !== undefined) add('h.at_ms < @toMs', { toMs: Math.ceil(i.to) });
    if (cur.alarm.state === 'after') add('(h.at_ms < @atMs OR (h.at_ms = @atMs AND h.id < @hid))', { atMs: cur.alarm.atMs, hid: cur.alarm.hid });
    const rows = db
      .prepare(
        `SELECT h.id AS hid, h.alarm_id, h.action, h.to_status, h.priority, h.by_user, h.at_ms, h.outcome, h.comment,
                a.kind, a.camera_id, a.subject, a.rule_id, a.condition, a.type, a.snapshot, a.detail
           FROM alarm_history h JOIN alarms a ON a.id = h.alarm_id
          WHERE ${where.join(' AND ')}
          ORDER BY h.at_ms DESC, h.id DESC LIMIT @limit`,
      )
      .all(args) as StepSql[];
    stepRows = rows.map((r) => ({
      kind: 'alarm' as const,
      type: REVIEW_TYPE_OF[r.kind],
      key: `h${r.hid}`,
      alarmId: r.alarm_id,
      cameraId: r.camera_id,
      ruleId: r.rule_id,
      condition: r.condition,
      subject: r.subject,
      detail: r.detail === null ? null : SystemAlarmDetailSchema.parse(JSON.parse(r.detail)),
      alarmType: r.type,
      action: r.action,
      toStatus: r.to_status,
      priority: r.priority,
      by: r.by_user,
      outcome: r.outcome,
      comment: r.comment,
      snapshot: r.snapshot,
      atMs: r.at_ms,
    }));
  }
  const alarmExhaustedAfterFetch = cur.alarm.state === 'end' || stepRows.length < limit;

  // Merge newest first; ties: the ledger event before the alarm step it may have opened.
  const out: ReviewRow[] = [];
  let li = 0;
  let ai = 0;
  while (out.length < limit && (li < ledgerRows.length || ai < stepRows.length)) {
    const l = ledgerRows[li];
    const a = stepRows[ai];
    if (l && (!a || reviewMs(l) >= reviewMs(a))) {
      out.push(l);
      li++;
    } else if (a) {
      out.push(a);
      ai++;
    }
  }
  const nextPos = (fetched: ReviewRow[], used: number, exhausted: boolean, prev: Pos): Pos => {
    if (exhausted && used === fetched.length) return { state: 'end' };
    if (used === 0) return prev;
    const last = fetched[used - 1]!;
    return last.kind === 'ledger' ? { state: 'after', ledgerId: last.id } : { state: 'after', atMs: last.atMs, hid: Number(last.key.slice(1)) };
  };
  const nl = nextPos(ledgerRows, li, ledgerExhaustedAfterFetch, cur.ledger);
  const na = nextPos(stepRows, ai, alarmExhaustedAfterFetch, cur.alarm);
  const nextCursor = nl.state === 'end' && na.state === 'end' ? null : `${posText(nl)};${posText(na)}`;
  return { rows: out, nextCursor };
}

/** Time of a review row, epoch ms. */
export function reviewMs(r: ReviewRow): number {
  return r.kind === 'ledger' ? r.frameMs : r.atMs;
}
