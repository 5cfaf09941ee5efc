import path from 'node:path';
import { DateTime } from 'luxon';
import { ulid } from 'ulid';
import type { ReportRequest, ReportSchedule } from '../../shared/domain/reports';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { Logger } from '../logging/logger';
import type { Db } from '../storage/database';
import type { ReportBuilder } from './report-builder';
import { defaultFileName, exportReport, type ExportOptions } from './report-export';
import type { ReportFolders } from './report-folders';

/** At most this many missed runs of one schedule are caught up at a start (a month of dailies). */
const MAX_CATCH_UP = 62;

interface Row {
  id: string;
  type: ReportSchedule['type'];
  format: ReportSchedule['format'];
  time: string;
  weekday: number | null;
  folder: string;
  last_run_at: number | null;
  created_at: string;
}
const toSchedule = (r: Row): ReportSchedule => ({ id: r.id, type: r.type, format: r.format, time: r.time, weekday: r.weekday, folder: r.folder, lastRunAt: r.last_run_at });

/** The first due time of a schedule strictly after `after` (site zone). */
export function nextDue(s: Pick<ReportSchedule, 'type' | 'time' | 'weekday'>, after: number, zone: string): number {
  const [h, m] = s.time.split(':').map(Number) as [number, number];
  let d = DateTime.fromMillis(after, { zone }).startOf('day');
  for (let i = 0; i < 400; i++, d = d.plus({ days: 1 })) {
    const at = d.set({ hour: h, minute: m });
    if (at.toMillis() <= after) continue;
    if (s.type === 'weekly' && at.weekday !== (s.weekday ?? 1)) continue;
    if (s.type === 'monthly' && at.day !== 1) continue;
    return at.toMillis();
  }
  throw new Error('no due time within 400 days');
}

/** The report a run due at `due` writes: the period that just ended. */
export function requestForRun(type: ReportSchedule['type'], due: number, zone: string): ReportRequest {
  const d = DateTime.fromMillis(due, { zone });
  const day = (x: DateTime) => x.toISODate() ?? '';
  switch (type) {
    case 'daily':
      return { type: 'daily', from: day(d.minus({ days: 1 })) };
    case 'weekly':
      return { type: 'weekly', from: day(d.minus({ weeks: 1 })) };
    case 'monthly':
      return { type: 'monthly', from: day(d.minus({ months: 1 })) };
    case 'shift':
      return { type: 'shift', from: d.minus({ minutes: 1 }).toISO() ?? '' };
  }
}

/**
 * Scheduled reports: checks every minute (and at start) which runs are due, including those missed while
 * the app was closed, and writes each report into the schedule's folder.
 */
export class ReportScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly builder: ReportBuilder,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly exportOptions: ExportOptions = {},
    /** Where runs may write: checked when a schedule is saved and again at every run. */
    private readonly folders: Pick<ReportFolders, 'resolve'>,
  ) {}

  list(): ReportSchedule[] {
    return (this.db.prepare('SELECT * FROM report_schedules ORDER BY created_at, id').all() as Row[]).map(toSchedule);
  }

  save(raw: Omit<ReportSchedule, 'id' | 'lastRunAt'> & { id?: string }): ReportSchedule {
    if (raw.type === 'weekly' && !raw.weekday) throw new AppErrorException('invalid-input', 'A weekly report needs a weekday.');
    // Only a report folder an admin allowed (stored as its real path); nothing is created.
    const input = { ...raw, folder: this.folders.resolve(raw.folder) };
    if (input.id) {
      const r = this.db.prepare('UPDATE report_schedules SET type = ?, format = ?, time = ?, weekday = ?, folder = ? WHERE id = ?').run(input.type, input.format, input.time, input.weekday, input.folder, input.id);
      if (!r.changes) throw new AppErrorException('not-found', 'This scheduled report does not exist.');
      return this.list().find((s) => s.id === input.id)!;
    }
    const id = ulid(this.now());
    // The first run is the next due time from now (nothing is caught up for a new schedule).
    this.db
      .prepare('INSERT INTO report_schedules (id, type, format, time, weekday, folder, last_run_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, input.type, input.format, input.time, input.weekday, input.folder, this.now(), new Date(this.now()).toISOString());
    return this.list().find((s) => s.id === id)!;
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM report_schedules WHERE id = ?').run(id).changes > 0;
  }

  /** Runs what is due now (and what was missed), then checks every `periodMs`. */
  start(periodMs = 60_000): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), periodMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs every due run once (serially); resolves when done. */
  tick(): Promise<void> {
    this.running = this.running.then(() => this.runDue()).catch((err: unknown) => this.logger.error('scheduled reports failed', { err }));
    return this.running;
  }

  private async runDue(): Promise<void> {
    const zone = this.builder.zone();
    const now = this.now();
    for (const s of this.list()) {
      let last = s.lastRunAt ?? now;
      for (let i = 0; i < MAX_CATCH_UP; i++) {
        const due = nextDue(s, last, zone);
        if (due > now) break;
        await this.runOne(s, due, zone);
        last = due;
        this.db.prepare('UPDATE report_schedules SET last_run_at = ? WHERE id = ?').run(due, s.id);
      }
    }
  }

  private async runOne(s: ReportSchedule, due: number, zone: string): Promise<void> {
    const request = requestForRun(s.type, due, zone);
    try {
      // The folder must still be allowed (an admin may have removed it since); it is never created.
      const folder = this.folders.resolve(s.folder);
      const model = this.builder.build(request, 'scheduled report');
      const outFile = path.join(folder, defaultFileName(model, s.format));
      const r = await exportReport(this.builder, { request, format: s.format, outFile, generatedBy: 'scheduled report' }, this.exportOptions);
      this.logger.info('scheduled report written', { schedule: s.id, file: r.file });
    } catch (err) {
      // A failed run (folder gone, disk full) is logged and not retried forever; the next run tries again.
      this.logger.warn('scheduled report failed', { schedule: s.id, due, err: err instanceof Error ? err.message : String(err) });
    }
  }
}
