import type { AggregateRow, CountKind, Grain } from '../../shared/domain/reports';
import type { Db } from '../storage/database';
import { bucketIndex, bucketStarts, isoInZone, QUARTER_MS } from './time-buckets';

/** What to aggregate: a half-open period in a zone, at a grain, optionally one camera / rule. */
export interface AggregateQuery {
  from: number;
  to: number;
  grain: Grain;
  zone: string;
  cameraId?: string;
  ruleId?: string;
}

export interface AggregateResult {
  /** Bucket starts (epoch ms); the last bucket ends at `to`. */
  buckets: number[];
  /** Non-zero counts, sorted by bucket, camera, rule, class, kind. */
  rows: AggregateRow[];
}

interface RollupRow {
  bucket_ms: number;
  camera_id: string;
  rule_id: string;
  cls: string;
  kind: CountKind;
  count: number;
}

const KIND_ORDER: Record<CountKind, number> = { in: 0, out: 1, enter: 2, exit: 3, alarm: 4 };
const KIND_SQL = `CASE WHEN type = 'line.cross' THEN (CASE direction WHEN 'out' THEN 'out' ELSE 'in' END)
  WHEN type = 'zone.enter' THEN 'enter' WHEN type = 'zone.exit' THEN 'exit' ELSE 'alarm' END`;

/**
 * Aggregates of the count ledger by camera, rule, class and kind per bucket in the site's zone. Reads the
 * 15-minute rollup (kept in step with the ledger by triggers) whenever every bucket edge is a multiple of 15
 * minutes (every modern zone), else the effective ledger rows themselves. Either way voided rows are out and
 * corrected rows count as corrected.
 */
export class AggregateRepository {
  constructor(private readonly db: Db) {}

  aggregate(q: AggregateQuery): AggregateResult {
    const buckets = bucketStarts(q.from, q.to, q.grain, q.zone);
    if (!buckets.length) return { buckets, rows: [] };
    const aligned = [...buckets, q.to].every((b) => b % QUARTER_MS === 0);
    const args = { from: q.from, to: q.to, cameraId: q.cameraId ?? null, ruleId: q.ruleId ?? null };
    const scope = '(@cameraId IS NULL OR camera_id = @cameraId) AND (@ruleId IS NULL OR rule_id = @ruleId)';
    const sql = aligned
      ? `SELECT bucket_ms, camera_id, rule_id, cls, kind, count FROM report_rollup_15m
         WHERE bucket_ms >= @from AND bucket_ms < @to AND ${scope} AND count <> 0`
      : `SELECT frame_ms AS bucket_ms, camera_id, rule_id, cls, ${KIND_SQL} AS kind, count FROM ledger_effective
         WHERE frame_ms >= @from AND frame_ms < @to AND ${scope}`;
    const sums = new Map<string, AggregateRow>();
    for (const r of this.db.prepare(sql).iterate(args) as IterableIterator<RollupRow>) {
      const i = bucketIndex(buckets, r.bucket_ms);
      if (i < 0) continue;
      const key = `${i}\u0000${r.camera_id}\u0000${r.rule_id}\u0000${r.cls}\u0000${r.kind}`;
      const row = sums.get(key);
      if (row) row.count += r.count;
      else sums.set(key, { bucket: buckets[i]!, bucketIso: '', cameraId: r.camera_id, ruleId: r.rule_id, cls: r.cls, kind: r.kind, count: r.count });
    }
    const rows = [...sums.values()].filter((r) => r.count !== 0);
    for (const r of rows) r.bucketIso = isoInZone(r.bucket, q.zone);
    rows.sort((a, b) => a.bucket - b.bucket || cmp(a.cameraId, b.cameraId) || cmp(a.ruleId, b.ruleId) || cmp(a.cls, b.cls) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
    return { buckets, rows };
  }

  /**
   * Zone occupancy (enter − exit since the zone's last reset) at each time in `at` (ascending), per
   * camera/rule with zone events. Raw values (the caller clamps at 0 like LedgerRepository.totals).
   */
  occupancyAt(at: readonly number[], scope: { cameraId?: string; ruleId?: string } = {}): Map<string, number[]> {
    const out = new Map<string, number[]>();
    if (!at.length) return out;
    const args = { cameraId: scope.cameraId ?? null, ruleId: scope.ruleId ?? null, to: at[at.length - 1]! };
    const where = '(@cameraId IS NULL OR camera_id = @cameraId) AND (@ruleId IS NULL OR rule_id = @ruleId)';
    const zones = this.db
      .prepare(`SELECT DISTINCT camera_id, rule_id FROM report_rollup_15m WHERE kind IN ('enter', 'exit') AND ${where}`)
      .all(args) as Array<{ camera_id: string; rule_id: string }>;
    const resetsStmt = this.db.prepare('SELECT at_ms FROM ledger_resets WHERE camera_id = ? AND rule_id = ? AND at_ms <= ? ORDER BY at_ms');
    const netStmt = this.db.prepare(
      `SELECT COALESCE(SUM(CASE type WHEN 'zone.enter' THEN count ELSE -count END), 0) AS n FROM ledger_effective
       WHERE camera_id = ? AND rule_id = ? AND type IN ('zone.enter', 'zone.exit') AND frame_ms >= ? AND frame_ms < ?`,
    );
    const first = at[0]!;
    const nets = this.db.prepare(
      `SELECT bucket_ms, SUM(CASE kind WHEN 'enter' THEN count ELSE -count END) AS n FROM report_rollup_15m
       WHERE camera_id = ? AND rule_id = ? AND kind IN ('enter', 'exit') AND bucket_ms >= ? AND bucket_ms < ? GROUP BY bucket_ms ORDER BY bucket_ms`,
    );
    const rangeStmt = this.db.prepare(
      `SELECT COALESCE(SUM(CASE kind WHEN 'enter' THEN count ELSE -count END), 0) AS n FROM report_rollup_15m
       WHERE camera_id = ? AND rule_id = ? AND kind IN ('enter', 'exit') AND bucket_ms >= ? AND bucket_ms < ?`,
    );
    for (const z of zones) {
      // Prefix sums of the 15-minute nets between the first and the last time: an aligned interval is two lookups.
      const rows = nets.all(z.camera_id, z.rule_id, first - (first % QUARTER_MS), args.to) as Array<{ bucket_ms: number; n: number }>;
      const starts = rows.map((r) => r.bucket_ms);
      const prefix = [0];
      for (const r of rows) prefix.push(prefix[prefix.length - 1]! + r.n);
      const before = (t: number) => prefix[bucketIndex(starts, t - 1) + 1]!;
      const net = (c: string, r: string, a: number, b: number) => {
        if (b <= a) return 0;
        if (a % QUARTER_MS === 0 && b % QUARTER_MS === 0) {
          if (a >= first - (first % QUARTER_MS)) return before(b) - before(a);
          return (rangeStmt.get(c, r, a, b) as { n: number }).n;
        }
        return (netStmt.get(c, r, a, b) as { n: number }).n;
      };
      const resets = (resetsStmt.all(z.camera_id, z.rule_id, args.to) as Array<{ at_ms: number }>).map((r) => r.at_ms);
      const lastResetAt = (t: number) => {
        let v = 0;
        for (const r of resets) if (r <= t) v = r;
        return v;
      };
      const values: number[] = [];
      let base = lastResetAt(at[0]!);
      let prev = at[0]!;
      let occ = net(z.camera_id, z.rule_id, base, prev);
      values.push(occ);
      for (let i = 1; i < at.length; i++) {
        const t = at[i]!;
        const r = lastResetAt(t);
        if (r !== base) {
          base = r;
          occ = net(z.camera_id, z.rule_id, base, t);
        } else occ += net(z.camera_id, z.rule_id, prev, t);
        prev = t;
        values.push(occ);
      }
      out.set(`${z.camera_id}\u0000${z.rule_id}`, values);
    }
    return out;
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
