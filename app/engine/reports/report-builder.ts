import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import { parseRulesFile } from '../../shared/domain/rules';
import type { AggregateRow, ReportModel, ReportRequest, RuleReportTotals } from '../../shared/domain/reports';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { Db } from '../storage/database';
import type { SettingsRepository } from '../storage/settings.repository';
import { AggregateRepository } from './aggregate.repository';
import { OccurrenceBookRepository } from './occurrence-book.repository';
import { defaultGrain, previousPeriod, resolvePeriod, type ShiftPattern } from './period';
import { SiteSettingsRepository } from '../site/site-settings.repository';
import { storedAlarms, storedIncidents, type HealthIncidentSource, type ShiftAlarmSource } from './shift-sources';
import { bucketIndex, bucketLabel, bucketStarts, isoInZone, QUARTER_MS } from './time-buckets';
import { readAuditHead } from '../audit/audit-seal';
import { dwellOfZone, readZoneVisitRows } from './dwell';

/** What building a report reads. */
export interface ReportBuilderDeps {
  db: Db;
  settings: SettingsRepository;
  alarms?: ShiftAlarmSource;
  incidents?: HealthIncidentSource;
  now?: () => number;
}

/** Most buckets one report may have (a year of hours fits; a year of quarter-hours does not). */
const MAX_BUCKETS = 10_000;

type Figures = { in: number; out: number; enter: number; exit: number; alarms: number };
const zero = (): Figures => ({ in: 0, out: 0, enter: 0, exit: 0, alarms: 0 });
const FIELD = { in: 'in', out: 'out', enter: 'enter', exit: 'exit', alarm: 'alarms' } as const;

/** The site's time zone (Settings → Site; else the machine's). */
export function siteZone(settings: SettingsRepository): string {
  return new SiteSettingsRepository(settings).timeZone();
}

/** SHA-256 (hex) of the report's data: everything but who generated it, when, and the audit head at that time. */
export function reportDataHash(m: Omit<ReportModel, 'dataSha256' | 'generatedBy' | 'generatedAt' | 'auditHead'> & Partial<ReportModel>): string {
  const { dataSha256: _h, generatedBy: _b, generatedAt: _a, auditHead: _t, ...data } = m;
  return crypto.createHash('sha256').update(JSON.stringify(data)).digest('hex');
}

/** Builds the report model the dashboard, the PDF and the CSV all render. */
export class ReportBuilder {
  private readonly agg: AggregateRepository;
  readonly book: OccurrenceBookRepository;
  private readonly now: () => number;
  /** Site name, zone and shifts: the same store Settings → Site writes. */
  private readonly site: SiteSettingsRepository;

  constructor(private readonly deps: ReportBuilderDeps) {
    this.agg = new AggregateRepository(deps.db);
    this.site = new SiteSettingsRepository(deps.settings);
    this.now = deps.now ?? Date.now;
    this.book = new OccurrenceBookRepository(deps.db, this.now);
  }

  get db(): Db {
    return this.deps.db;
  }

  get aggregates(): AggregateRepository {
    return this.agg;
  }

  zone(): string {
    return siteZone(this.deps.settings);
  }

  /** The site's shift starts (Settings → Site). */
  shifts(): ShiftPattern {
    return this.site.shifts();
  }

  build(req: ReportRequest, generatedBy: string): ReportModel {
    const zone = this.zone();
    const period = resolvePeriod(req, zone, this.now(), this.shifts());
    const previous = previousPeriod(req.type, period);
    const grain = req.grain ?? defaultGrain(req.type, period);
    if (bucketStarts(period.from, period.to, grain, zone, MAX_BUCKETS + 1).length > MAX_BUCKETS) {
      throw new AppErrorException('invalid-input', `This period has more than ${MAX_BUCKETS} buckets of ${grain}; choose a coarser step (hour, day or week).`);
    }
    const scope = { cameraId: req.cameraId };
    const { buckets, rows } = this.agg.aggregate({ from: period.from, to: period.to, grain, zone, ...scope });
    const prevRows = this.agg.aggregate({ from: previous.from, to: previous.to, grain: 'month', zone, ...scope }).rows;

    const names = this.cameraNames();
    const rules = this.ruleInfo();
    const key = (c: string, r: string) => `${c}\u0000${r}`;
    const totals = new Map<string, RuleReportTotals>();
    const totalOf = (c: string, r: string): RuleReportTotals => {
      let t = totals.get(key(c, r));
      if (!t) {
        const info = rules.get(key(c, r));
        totals.set(key(c, r), (t = { cameraId: c, cameraName: names.get(c) ?? c, ruleId: r, ruleKind: info?.kind ?? 'line', ...zero(), occupancy: 0, peakOccupancy: 0, previous: zero() }));
      }
      return t;
    };
    const index = new Map(buckets.map((b, i) => [b, i]));
    const series = new Map<string, ReportModel['series'][number]>();
    const seriesOf = (c: string, r: string) => {
      let s = series.get(key(c, r));
      if (!s) {
        const n = buckets.length;
        const label = `${names.get(c) ?? c} · ${rules.get(key(c, r))?.name ?? r}`;
        series.set(key(c, r), (s = { cameraId: c, ruleId: r, label, in: Array(n).fill(0), out: Array(n).fill(0), enter: Array(n).fill(0), exit: Array(n).fill(0), occupancy: Array(n).fill(0) }));
      }
      return s;
    };
    for (const row of rows) {
      const t = totalOf(row.cameraId, row.ruleId);
      t[FIELD[row.kind]] += row.count;
      if (row.kind !== 'alarm') seriesOf(row.cameraId, row.ruleId)[row.kind][index.get(row.bucket)!]! += row.count;
    }
    for (const row of prevRows) totalOf(row.cameraId, row.ruleId).previous[FIELD[row.kind]] += row.count;
    for (const t of totals.values()) if (t.enter || t.exit) t.ruleKind = rules.get(key(t.cameraId, t.ruleId))?.kind ?? 'zone';

    // Zone occupancy sampled at every 15-minute mark; each bucket shows its peak, the totals the end value.
    const samples = bucketStarts(period.from, period.to, '15m', zone).map((b) => Math.min(b + QUARTER_MS, period.to));
    for (const [k, values] of this.agg.occupancyAt(samples, scope)) {
      const [c, r] = k.split('\u0000') as [string, string];
      const s = seriesOf(c, r);
      s.occupancy = s.occupancy.map(() => 0);
      values.forEach((v, i) => {
        const b = bucketIndex(buckets, samples[i]! - 1);
        if (b >= 0) s.occupancy[b] = Math.max(s.occupancy[b]!, v);
      });
      const t = totalOf(c, r);
      t.ruleKind = 'zone';
      t.occupancy = Math.max(0, values[values.length - 1] ?? 0);
      t.peakOccupancy = Math.max(0, ...s.occupancy);
    }

    const hourly = grain === 'hour' ? rows : this.agg.aggregate({ from: period.from, to: period.to, grain: 'hour', zone, ...scope }).rows;
    const { heatmap, busiest } = traffic(hourly, zone);
    const sortedTotals = [...totals.values()].sort((a, b) => a.cameraName.localeCompare(b.cameraName) || a.ruleId.localeCompare(b.ruleId));
    const grand = zero();
    const grandPrevious = zero();
    for (const t of sortedTotals) {
      for (const f of ['in', 'out', 'enter', 'exit', 'alarms'] as const) {
        grand[f] += t[f];
        grandPrevious[f] += t.previous[f];
      }
    }
    // The ALARMS figure counts the alarms the report lists (the alarm store: every alarm active in the period),
    // not alarm-type ledger events, so the dashboard, the PDF's total line and its Alarms section agree.
    const alarmSource = this.deps.alarms ?? storedAlarms(this.deps.db, (id) => names.get(id) ?? id);
    const periodAlarms = alarmSource.alarmsBetween(period.from, period.to);
    grand.alarms = periodAlarms.length;
    grandPrevious.alarms = alarmSource.alarmsBetween(previous.from, previous.to).length;
    const titles = { daily: 'Daily report', weekly: 'Weekly report', monthly: 'Monthly report', custom: 'Report', shift: 'Shift report (occurrence book)' } as const;
    const isShift = req.type === 'shift';
    const data: Omit<ReportModel, 'dataSha256' | 'generatedBy' | 'generatedAt' | 'auditHead'> = {
      type: req.type,
      title: titles[req.type],
      site: this.site.siteName(),
      period,
      previous,
      grain,
      buckets,
      bucketLabels: buckets.map((b) => bucketLabel(b, grain, zone)),
      totals: sortedTotals,
      grand,
      grandPrevious,
      series: [...series.values()].sort((a, b) => a.label.localeCompare(b.label)),
      heatmap,
      busiest,
      rows,
      occurrences: this.book.between(period.from, period.to),
      alarms: isShift || req.type === 'daily' ? periodAlarms : [],
      incidents: (this.deps.incidents ?? storedIncidents(this.deps.db, (id) => names.get(id) ?? id)).incidentsBetween(period.from, period.to),
      signoff: isShift ? this.book.signoffOf(period.from, period.to) : null,
      snapshots: this.alarmSnapshots(period.from, period.to, req.cameraId),
    };
    // Dwell times of the zones whose dwell reporting is on (absent otherwise, so other reports' hashes stay as they were).
    const dwell = [...rules.entries()]
      .filter(([k, r]) => r.dwellReport && (!req.cameraId || k.startsWith(`${req.cameraId}\u0000`)))
      .map(([k, r]) => {
        const [c, ruleId] = k.split('\u0000') as [string, string];
        return { cameraId: c, cameraName: names.get(c) ?? c, ruleId, ruleName: r.name, ...dwellOfZone(readZoneVisitRows(this.deps.db, c, ruleId, period.from, period.to), period.from, period.to, zone) };
      })
      .sort((a, b) => a.cameraName.localeCompare(b.cameraName) || a.ruleName.localeCompare(b.ruleName));
    if (dwell.length) data.dwell = dwell;
    return { ...data, generatedBy, generatedAt: isoInZone(this.now(), zone), dataSha256: reportDataHash(data), auditHead: readAuditHead(this.deps.db) };
  }

  private alarmSnapshots(from: number, to: number, cameraId?: string): ReportModel['snapshots'] {
    const rows = this.deps.db
      .prepare(
        `SELECT id, frame_ms, camera_id, rule_id, type, snapshot FROM ledger_effective
         WHERE frame_ms >= ? AND frame_ms < ? AND snapshot IS NOT NULL AND type IN ('zone.loiter', 'zone.intrusion', 'zone.overcrowd')
           AND (? IS NULL OR camera_id = ?) ORDER BY frame_ms LIMIT 6`,
      )
      .all(from, to, cameraId ?? null, cameraId ?? null) as Array<{ id: string; frame_ms: number; camera_id: string; rule_id: string; type: string; snapshot: string }>;
    return rows.map((r) => ({ eventId: r.id, at: r.frame_ms, cameraId: r.camera_id, ruleId: r.rule_id, type: r.type, path: r.snapshot }));
  }

  private cameraNames(): Map<string, string> {
    const rows = this.deps.db.prepare('SELECT id, name FROM cameras').all() as Array<{ id: string; name: string }>;
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  private ruleInfo(): Map<string, { name: string; kind: 'line' | 'zone'; dwellReport: boolean }> {
    const out = new Map<string, { name: string; kind: 'line' | 'zone'; dwellReport: boolean }>();
    const rows = this.deps.db.prepare('SELECT camera_id, rules_json FROM rules').all() as Array<{ camera_id: string; rules_json: string }>;
    for (const r of rows) {
      try {
        for (const rule of parseRulesFile({ rules: JSON.parse(r.rules_json) as unknown }).rules) out.set(`${r.camera_id}\u0000${rule.id}`, { name: rule.name ?? rule.id, kind: rule.type, dwellReport: rule.type === 'zone' && rule.dwellReport === true });
      } catch {
        // A rules row this version cannot read: ids stand in for names.
      }
    }
    return out;
  }
}

/** Traffic (crossings in/out + zone entries) per weekday × hour, and the five busiest hours. */
function traffic(hourly: readonly AggregateRow[], zone: string): { heatmap: number[][]; busiest: Array<{ hourIso: string; count: number }> } {
  const heatmap = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  const perHour = new Map<number, number>();
  for (const r of hourly) {
    if (r.kind === 'exit' || r.kind === 'alarm') continue;
    const dt = DateTime.fromMillis(r.bucket, { zone });
    heatmap[dt.weekday - 1]![dt.hour]! += r.count;
    perHour.set(r.bucket, (perHour.get(r.bucket) ?? 0) + r.count);
  }
  const busiest = [...perHour.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, 5)
    .map(([b, count]) => ({ hourIso: isoInZone(b, zone), count }));
  return { heatmap, busiest };
}
