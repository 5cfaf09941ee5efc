import fs from 'node:fs';
import path from 'node:path';
import { decodeTime } from 'ulid';
import { DEFAULT_RETENTION_POLICY, RetentionPolicySchema, RetentionReportSchema, type RetentionPolicy, type RetentionReport } from '../../shared/domain/retention';
import { SYSTEM_ACTOR_NAME } from '../../shared/domain/user';
import type { RetentionStatus } from '../../shared/ipc/retention.contract';
import type { Disposable } from '../../shared/events/emitter';
import type { AuditSink } from '../audit/audit-sink';
import type { Logger } from '../logging/logger';
import type { Db } from '../storage/database';
import type { SettingsRepository } from '../storage/settings.repository';

const DAY_MS = 86_400_000;
const SETTINGS = { policy: 'retention.policy', lastRun: 'retention.lastRun' } as const;
const SNAP_DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const SNAP_FILE_RE = /^([0-9A-HJKMNP-TV-Z]{26})\.jpg$/;
/** Upper bound on files looked at per folder walk (a run never loops without end). */
const MAX_FILES = 1_000_000;

export interface RetentionServiceOptions {
  db: Db;
  settings: SettingsRepository;
  /** `<dataDir>/snapshots` (the SnapshotStore root). */
  snapshotsDir: string;
  /** `<dataDir>/reports`: report files (PDF, CSV) removed by age. */
  reportsDir: string;
  audit: AuditSink;
  logger: Logger;
  /** Called with every finished run (push `retention:ran`). */
  onRan?: (report: RetentionReport) => void;
  /** Called when the tracks retention changes (the track store's own hourly prune follows it). */
  onTracksRetention?: (ms: number) => void;
  /** Called after snapshot files were removed (the snapshot store recounts its size). */
  onSnapshotsRemoved?: () => void;
  /** Free bytes on the data directory's disk, or null when unknown (default: statfs). */
  freeBytes?: () => number | null;
  now?: () => number;
  /** First scheduled run after start, ms (default 60 s). */
  startupDelayMs?: number;
}

interface SnapFile {
  abs: string;
  rel: string;
  size: number;
  ms: number;
}

/**
 * Removes data past its retention on a schedule and reports what it removed. Per kind (events, snapshots,
 * tracks, reports) in days, plus a disk-pressure floor that removes the oldest snapshots first. Events go only
 * through the ledger's retention horizon (see retention.schema.ts): the horizon row is recorded first, then
 * unamended events below it are removed together with their snapshots. The audit trail is never touched.
 */
export class RetentionService {
  private timer: NodeJS.Timeout | null = null;
  private nextRunAt: number | null = null;
  private running = false;
  private readonly now: () => number;
  /** Removes face-match evidence older than a time and says how many (the face watchlist, a later engine phase). */
  private faceMatchPurge: ((before: Date) => number) | null = null;

  constructor(private readonly o: RetentionServiceOptions) {
    this.now = o.now ?? Date.now;
  }

  policy(): RetentionPolicy {
    return this.o.settings.get(SETTINGS.policy, RetentionPolicySchema) ?? DEFAULT_RETENTION_POLICY;
  }

  status(): RetentionStatus {
    return {
      policy: this.policy(),
      lastRun: this.o.settings.get(SETTINGS.lastRun, RetentionReportSchema) ?? null,
      nextRunAt: this.nextRunAt === null ? null : new Date(this.nextRunAt).toISOString(),
    };
  }

  setPolicy(policy: RetentionPolicy, actor: string): RetentionStatus {
    const before = this.policy();
    this.o.settings.set(SETTINGS.policy, policy);
    this.o.audit.record({ action: 'retention.policy', actor, target: 'retention', detail: { before, after: policy } });
    this.o.onTracksRetention?.(policy.tracksDays === null ? Number.POSITIVE_INFINITY : policy.tracksDays * DAY_MS);
    if (this.timer) this.schedule(policy.intervalMinutes * 60_000);
    return this.status();
  }

  /**
   * Face-match evidence (the watchlist's `face_matches`, each with the face seen) follows the snapshots'
   * retention: a match older than `snapshotsDays` is removed by each run.
   */
  purgeFaceMatchesWith(purge: (before: Date) => number): Disposable {
    this.faceMatchPurge = purge;
    return { dispose: () => void (this.faceMatchPurge === purge && (this.faceMatchPurge = null)) };
  }

  /** Arms the schedule: a first run shortly after start, then every `intervalMinutes`. */
  start(): void {
    const p = this.policy();
    this.o.onTracksRetention?.(p.tracksDays === null ? Number.POSITIVE_INFINITY : p.tracksDays * DAY_MS);
    this.schedule(this.o.startupDelayMs ?? 60_000, 'startup');
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextRunAt = null;
  }

  private schedule(delayMs: number, trigger: 'schedule' | 'startup' = 'schedule'): void {
    if (this.timer) clearTimeout(this.timer);
    this.nextRunAt = this.now() + delayMs;
    this.timer = setTimeout(() => {
      try {
        this.run(trigger, SYSTEM_ACTOR_NAME);
      } catch (err) {
        this.o.logger.error('retention run failed', { err });
      }
      this.schedule(this.policy().intervalMinutes * 60_000);
    }, delayMs);
    this.timer.unref?.();
  }

  /** Runs retention once, now. */
  run(trigger: RetentionReport['trigger'], actor: string): RetentionReport {
    if (this.running) throw new Error('retention is already running');
    this.running = true;
    try {
      return this.runOnce(trigger, actor);
    } finally {
      this.running = false;
    }
  }

  private runOnce(trigger: RetentionReport['trigger'], actor: string): RetentionReport {
    const started = this.now();
    const policy = this.policy();
    const errors: string[] = [];
    const removed: RetentionReport['removed'] = { events: 0, snapshots: 0, snapshotBytes: 0, tracks: 0, reports: 0 };
    const protectedSnaps = this.protectedSnapshots();
    const removeSnapshot = (f: { abs: string; size: number }): boolean => {
      try {
        fs.rmSync(f.abs, { force: true });
        removed.snapshots++;
        removed.snapshotBytes += f.size;
        return true;
      } catch (err) {
        errors.push(`snapshot not removed: ${(err as Error).message}`);
        return false;
      }
    };

    // 1. Events below the horizon (never amended ones), then their snapshots.
    let horizon: number | null = null;
    if (policy.eventsDays !== null) {
      horizon = started - policy.eventsDays * DAY_MS;
      const gone = this.removeEvents(horizon, actor, started);
      removed.events = gone.length;
      for (const rel of gone) {
        const f = this.snapshotFile(rel);
        if (f) removeSnapshot(f);
      }
    }
    const keptAmendedEvents = horizon === null ? 0 : this.countAmendedBelow(horizon);

    // 2. Snapshots by age (those of amended events are kept).
    let snaps = this.snapshotFiles();
    if (policy.snapshotsDays !== null) {
      const cutoff = started - policy.snapshotsDays * DAY_MS;
      for (const f of snaps) if (f.ms < cutoff && !protectedSnaps.has(f.rel)) removeSnapshot(f);
      snaps = snaps.filter((f) => fs.existsSync(f.abs));
    }

    // 2b. Face-match evidence, by the snapshots' age.
    if (policy.snapshotsDays !== null && this.faceMatchPurge) {
      try {
        removed.faceMatches = this.faceMatchPurge(new Date(started - policy.snapshotsDays * DAY_MS));
      } catch (err) {
        errors.push(`face-match evidence not removed: ${(err as Error).message}`);
      }
    }

    // 3. Tracks.
    if (policy.tracksDays !== null) {
      removed.tracks = this.o.db.prepare('DELETE FROM tracks WHERE last_ms < ?').run(started - policy.tracksDays * DAY_MS).changes;
    }

    // 4. Reports (regular files only, inside the reports folder).
    if (policy.reportsDays !== null) removed.reports = this.removeOldReports(started - policy.reportsDays * DAY_MS, errors);

    // 5. Disk-pressure floor: oldest snapshots first until the disk has the floor free again.
    let diskPressure: RetentionReport['diskPressure'] = null;
    const floorBytes = policy.minFreeMb * 1024 * 1024;
    const freeBefore = floorBytes > 0 ? this.freeBytes() : null;
    if (floorBytes > 0 && freeBefore !== null) {
      let free = freeBefore;
      let n = 0;
      for (const f of snaps) {
        if (free >= floorBytes) break;
        if (protectedSnaps.has(f.rel)) continue;
        if (removeSnapshot(f)) {
          free += f.size;
          n++;
        }
      }
      diskPressure = { floorBytes, freeBytesBefore: freeBefore, freeBytesAfter: this.freeBytes() ?? free, snapshotsRemoved: n };
      if (free < floorBytes) errors.push(`The disk still has less than ${policy.minFreeMb} MiB free after removing ${n} snapshots.`);
    }
    if (removed.snapshots) this.o.onSnapshotsRemoved?.();

    const report: RetentionReport = {
      at: new Date(started).toISOString(),
      trigger,
      by: actor,
      durationMs: Math.max(0, this.now() - started),
      removed,
      keptAmendedEvents,
      eventsHorizon: horizon === null ? null : new Date(horizon).toISOString(),
      diskPressure,
      errors,
    };
    this.o.settings.set(SETTINGS.lastRun, report);
    this.o.audit.record({ action: 'retention.run', actor, target: 'retention', detail: { trigger, removed, keptAmendedEvents, eventsHorizon: report.eventsHorizon } });
    this.o.logger.info('retention ran', { trigger, removed, errors: errors.length });
    this.o.onRan?.(report);
    return report;
  }

  /** Records the horizon and removes unamended events below it; returns the snapshots of removed events. */
  private removeEvents(horizon: number, actor: string, now: number): string[] {
    const db = this.o.db;
    return db.transaction(() => {
      const last = db.prepare<[], { m: number | null }>("SELECT MAX(before_ms) AS m FROM retention_horizons WHERE kind = 'events'").get()?.m ?? null;
      if (last === null || horizon > last) db.prepare("INSERT INTO retention_horizons (kind, before_ms, at_ms, by_user) VALUES ('events', ?, ?, ?)").run(horizon, now, actor);
      const rows = db
        .prepare<[number], { id: string; snapshot: string | null }>(
          'SELECT e.id, e.snapshot FROM ledger_events e WHERE e.frame_ms < ? AND NOT EXISTS (SELECT 1 FROM ledger_amendments a WHERE a.event_id = e.id)',
        )
        .all(horizon);
      const del = db.prepare<[string]>('DELETE FROM ledger_events WHERE id = ?');
      for (const r of rows) del.run(r.id);
      return rows.flatMap((r) => (r.snapshot ? [r.snapshot] : []));
    })();
  }

  private countAmendedBelow(horizon: number): number {
    return (
      this.o.db
        .prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM ledger_events e WHERE e.frame_ms < ? AND EXISTS (SELECT 1 FROM ledger_amendments a WHERE a.event_id = e.id)')
        .get(horizon)?.n ?? 0
    );
  }

  /** Snapshot references of voided or corrected events: kept as evidence. */
  private protectedSnapshots(): Set<string> {
    const rows = this.o.db
      .prepare<[], { snapshot: string }>('SELECT e.snapshot FROM ledger_events e WHERE e.snapshot IS NOT NULL AND EXISTS (SELECT 1 FROM ledger_amendments a WHERE a.event_id = e.id)')
      .all();
    return new Set(rows.map((r) => r.snapshot));
  }

  /** A stored snapshot reference resolved inside the snapshots folder, or null. */
  private snapshotFile(rel: string): { abs: string; size: number } | null {
    const [day, file, extra] = rel.split('/');
    if (extra !== undefined || !day || !file || !SNAP_DAY_RE.test(day) || !SNAP_FILE_RE.test(file)) return null;
    const abs = path.join(this.o.snapshotsDir, day, file);
    try {
      return { abs, size: fs.statSync(abs).size };
    } catch {
      return null;
    }
  }

  /** Every snapshot file, oldest first (by the time in its ULID name). */
  private snapshotFiles(): SnapFile[] {
    const out: SnapFile[] = [];
    let days: string[];
    try {
      days = fs.readdirSync(this.o.snapshotsDir).filter((d) => SNAP_DAY_RE.test(d));
    } catch {
      return [];
    }
    for (const d of days.sort()) {
      let names: string[];
      try {
        names = fs.readdirSync(path.join(this.o.snapshotsDir, d));
      } catch {
        continue;
      }
      for (const name of names) {
        const m = SNAP_FILE_RE.exec(name);
        if (!m || out.length >= MAX_FILES) continue;
        const abs = path.join(this.o.snapshotsDir, d, name);
        try {
          const st = fs.lstatSync(abs);
          if (st.isFile()) out.push({ abs, rel: `${d}/${name}`, size: st.size, ms: decodeTime(m[1]!) });
        } catch {}
      }
    }
    return out.sort((a, b) => a.ms - b.ms || (a.rel < b.rel ? -1 : 1));
  }

  private removeOldReports(cutoffMs: number, errors: string[]): number {
    const root = path.resolve(this.o.reportsDir);
    let n = 0;
    let seen = 0;
    const walk = (dir: string, depth: number) => {
      if (depth > 8) return;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (++seen > MAX_FILES) return;
        const abs = path.join(dir, e.name);
        if (!abs.startsWith(root + path.sep)) continue;
        if (e.isDirectory()) walk(abs, depth + 1);
        else if (e.isFile()) {
          try {
            if (fs.statSync(abs).mtimeMs < cutoffMs) {
              fs.rmSync(abs, { force: true });
              n++;
            }
          } catch (err) {
            errors.push(`report not removed: ${(err as Error).message}`);
          }
        }
      }
    };
    walk(root, 0);
    return n;
  }

  private freeBytes(): number | null {
    if (this.o.freeBytes) return this.o.freeBytes();
    try {
      const s = fs.statfsSync(path.dirname(this.o.snapshotsDir));
      return s.bavail * s.bsize;
    } catch {
      return null;
    }
  }
}
