import { stringify, type Stringifier } from 'csv-stringify';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { ReportModel } from '../../shared/domain/reports';
import { neutraliseCsvCell } from '../../shared/csv-cell';
import type { Db } from '../storage/database';
import { isoFormatter, isoInZone } from './time-buckets';

/**
 * Columns of a report CSV. Sections: `bucket` rows, then one `total` row per rule and kind over the whole period;
 * on shift and daily reports also one `alarm` row per alarm (opened, closed, camera, rule_id = the rule's name and
 * event type, kind = priority, outcome, who closed it, comment) and one `alarm-step` row per history step (when,
 * kind = action, user, comment); on every report one `occurrence` row per occurrence-book entry of the period
 * (period_start = when, user = who wrote it, comment = its text). The last three columns are empty on count rows.
 */
export const REPORT_CSV_COLUMNS = ['section', 'period_start', 'period_end', 'camera_id', 'camera', 'rule_id', 'class', 'kind', 'count', 'outcome', 'user', 'comment'] as const;
/** Columns of an events CSV (one row per effective ledger event). */
export const EVENTS_CSV_COLUMNS = ['id', 'time', 'camera_id', 'camera', 'rule_id', 'class', 'type', 'direction', 'count', 'confidence', 'corrected', 'source'] as const;

/** Cooperative cancellation and progress of a long write. */
export interface WriteControl {
  signal?: AbortSignal;
  /** Called with 0..1 now and then. */
  onProgress?: (fraction: number) => void;
}

/**
 * RFC 4180 (CRLF, quotes doubled), UTF-8 with a BOM so Excel reads it as UTF-8. Every text cell (camera and rule
 * names, comments, occurrence-book text, user names) goes through neutraliseCsvCell: quoting alone does not stop a
 * spreadsheet from running `=…` as a formula.
 */
function csv(columns: readonly string[]): Stringifier {
  return stringify({ header: true, columns: [...columns], bom: true, record_delimiter: 'windows', quoted_match: /^'?[=+\-@\t\r]/, cast: { string: neutraliseCsvCell } });
}

async function write(s: Stringifier, rec: unknown[]): Promise<void> {
  if (!s.write(rec)) await once(s, 'drain');
}

function checkCancel(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ExportCancelled();
}

export class ExportCancelled extends Error {
  constructor() {
    super('The export was cancelled.');
    this.name = 'ExportCancelled';
  }
}

/** Pipes a stringifier into `out` and resolves when everything reached it (rejects on either's error). */
function piped(s: Stringifier, out: Writable): Promise<void> {
  s.pipe(out);
  const p = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
    s.once('error', reject);
  });
  // Awaited on success; on a cancel or a failure the caller's error wins and this one is dropped.
  p.catch(() => {});
  return p;
}

/** Runs `body`, and on a throw detaches the stringifier from the file so nothing is written after. */
async function guarded<T>(s: Stringifier, out: Writable, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    s.unpipe(out);
    s.destroy();
    throw err;
  }
}

/** Writes the report's aggregate rows and totals. */
export async function writeReportCsv(m: ReportModel, out: Writable, ctl: WriteControl = {}): Promise<number> {
  const s = csv(REPORT_CSV_COLUMNS);
  const done = piped(s, out);
  return guarded(s, out, async () => {
    const zone = m.period.timeZone;
    const names = new Map(m.totals.map((t) => [t.cameraId, t.cameraName]));
    const ends = new Map(m.buckets.map((b, i) => [b, m.buckets[i + 1] ?? m.period.to]));
    let n = 0;
    const total = m.rows.length + m.totals.length * 5;
    for (const r of m.rows) {
      if (n % 1000 === 0) {
        checkCancel(ctl.signal);
        ctl.onProgress?.(n / Math.max(1, total));
      }
      await write(s, ['bucket', r.bucketIso, isoInZone(ends.get(r.bucket) ?? m.period.to, zone), r.cameraId, names.get(r.cameraId) ?? r.cameraId, r.ruleId, r.cls, r.kind, r.count, '', '', '']);
      n++;
    }
    for (const t of m.totals) {
      for (const [kind, v] of [['in', t.in], ['out', t.out], ['enter', t.enter], ['exit', t.exit], ['alarm', t.alarms]] as const) {
        if (v === 0) continue;
        await write(s, ['total', m.period.fromIso, m.period.toIso, t.cameraId, t.cameraName, t.ruleId, '*', kind, v, '', '', '']);
        n++;
      }
    }
    // Dwell times of zones with dwell reporting on: per hour (of the exit) and over the period, in seconds.
    for (const d of m.dwell ?? []) {
      const figures = (f: { visits: number; medianS: number; p90S: number; longestS: number }) =>
        [['dwell_visits', f.visits], ['dwell_median_s', f.medianS], ['dwell_p90_s', f.p90S], ['dwell_longest_s', f.longestS]] as const;
      for (const h of d.hours) {
        const end = isoInZone(Date.parse(h.hourIso) + 3600_000, zone);
        for (const [kind, v] of figures(h)) await write(s, ['dwell', h.hourIso, end, d.cameraId, d.cameraName, d.ruleId, '*', kind, v, '', '', '']);
        n += 4;
      }
      for (const [kind, v] of figures(d.overall)) await write(s, ['dwell-total', m.period.fromIso, m.period.toIso, d.cameraId, d.cameraName, d.ruleId, '*', kind, v, '', '', '']);
      n += 4;
    }
    // The shift's alarms with outcome, comment and every history step (who, when).
    for (const a of m.alarms) {
      const closer = [...a.steps].reverse().find((x) => x.action.startsWith('close'))?.user ?? '';
      await write(s, ['alarm', isoInZone(a.openedAt, zone), a.closedAt === null ? '' : isoInZone(a.closedAt, zone), '', a.camera, a.rule, '', a.priority, 1, a.outcome ?? 'open', closer, a.comment ?? '']);
      n++;
      for (const x of a.steps) {
        await write(s, ['alarm-step', isoInZone(x.at, zone), '', '', a.camera, a.rule, '', x.action, '', '', x.user, x.comment ?? '']);
        n++;
      }
    }
    // The occurrence book: what officers wrote, word for word (neutralised like every text cell).
    for (const o of m.occurrences) {
      await write(s, ['occurrence', isoInZone(o.at, zone), '', '', '', '', '', '', '', '', o.by, o.text]);
      n++;
    }
    s.end();
    await done;
    ctl.onProgress?.(1);
    return n;
  });
}

interface EventRow {
  id: string;
  frame_ms: number;
  camera_id: string;
  rule_id: string;
  cls: string;
  type: string;
  direction: string | null;
  count: number;
  confidence: number;
  corrections: number;
  source: string;
}

/**
 * Streams every effective ledger event of [from, to) (voids excluded, corrections applied), oldest first,
 * in pages by id so neither the rows nor a long-held statement sit in memory; waits for the file to drain.
 */
export async function writeEventsCsv(db: Db, q: { from: number; to: number; zone: string; cameraId?: string }, out: Writable, ctl: WriteControl = {}): Promise<number> {
  const names = new Map((db.prepare('SELECT id, name FROM cameras').all() as Array<{ id: string; name: string }>).map((r) => [r.id, r.name]));
  const scope = '(@cameraId IS NULL OR camera_id = @cameraId)';
  const args = { from: q.from, to: q.to, cameraId: q.cameraId ?? null };
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM ledger_events WHERE frame_ms >= @from AND frame_ms < @to AND ${scope}`).get(args) as { n: number }).n;
  const page = db.prepare(
    `SELECT id, frame_ms, camera_id, rule_id, cls, type, direction, count, confidence, corrections, source FROM ledger_effective
     WHERE id > @after AND frame_ms >= @from AND frame_ms < @to AND ${scope} ORDER BY id LIMIT 5000`,
  );
  const s = csv(EVENTS_CSV_COLUMNS);
  const done = piped(s, out);
  return guarded(s, out, async () => {
    const iso = isoFormatter(q.zone);
    let after = '';
    let n = 0;
    let seen = 0;
    // Bounded: every page advances `after`; at most total/1 pages.
    for (let pages = 0; pages <= total; pages++) {
      checkCancel(ctl.signal);
      const rows = page.all({ ...args, after }) as EventRow[];
      if (!rows.length) break;
      for (const r of rows) {
        await write(s, [r.id, iso(r.frame_ms), r.camera_id, names.get(r.camera_id) ?? r.camera_id, r.rule_id, r.cls, r.type, r.direction ?? '', r.count, r.confidence, r.corrections > 0 ? 'yes' : 'no', r.source]);
        n++;
      }
      seen += rows.length;
      after = rows[rows.length - 1]!.id;
      ctl.onProgress?.(Math.min(1, seen / Math.max(1, total)));
    }
    s.end();
    await done;
    return n;
  });
}
