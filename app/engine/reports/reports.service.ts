import path from 'node:path';
import { DateTime } from 'luxon';
import { ulid } from 'ulid';
import type { CameraState } from '../../shared/domain/camera';
import type { ExportProgress, OccurrenceEntry, ReportFormat, ReportModel, ReportRequest, ShiftSignoff } from '../../shared/domain/reports';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { SnapshotStore } from '../ledger/snapshot-store';
import type { Logger } from '../logging/logger';
import type { Db } from '../storage/database';
import type { SettingsRepository } from '../storage/settings.repository';
import { shiftAt } from './period';
import { ReportBuilder } from './report-builder';
import { defaultFileName, exportReport } from './report-export';
import { ReportFolders } from './report-folders';
import { ReportScheduler } from './report-scheduler';
import { CameraIncidentRecorder, noAlarms, type ShiftAlarmSource } from './shift-sources';
import { formatDate } from './time-buckets';

export interface ReportsServiceOptions {
  db: Db;
  settings: SettingsRepository;
  dataDir: string;
  logger: Logger;
  snapshots?: SnapshotStore | null;
  /** Emits reports:progress. */
  onProgress: (p: ExportProgress) => void;
  cameraName: (id: string) => string;
  now?: () => number;
}

/** Reports behind the contract: dashboard models, exports with progress and cancel, the occurrence book, shifts, schedules. */
export class ReportsService {
  readonly builder: ReportBuilder;
  readonly incidents: CameraIncidentRecorder;
  readonly scheduler: ReportScheduler;
  /** Where reports may be written (the default folder and those an admin added). */
  readonly folders: ReportFolders;
  private readonly exports = new Map<string, { ac: AbortController; done: Promise<void> }>();
  private alarms: ShiftAlarmSource = noAlarms;
  private readonly now: () => number;

  constructor(private readonly o: ReportsServiceOptions) {
    this.now = o.now ?? Date.now;
    this.incidents = new CameraIncidentRecorder(o.db, o.cameraName, this.now);
    this.builder = new ReportBuilder({ db: o.db, settings: o.settings, incidents: this.incidents, alarms: { alarmsBetween: (f, t) => this.alarms.alarmsBetween(f, t) }, now: this.now });
    this.folders = new ReportFolders(o.settings, path.join(o.dataDir, 'reports'));
    this.scheduler = new ReportScheduler(o.db, this.builder, o.logger.child({ component: 'report-scheduler' }), this.now, { resolveSnapshot: (rel) => o.snapshots?.resolve(rel) ?? null }, this.folders);
  }

  /** Plugs in the alarms service's read side (the alarms the shift report lists). */
  setAlarmSource(source: ShiftAlarmSource): void {
    this.alarms = source;
  }

  onCameraState(id: string, state: CameraState): void {
    this.incidents.onState(id, state);
  }

  build(req: ReportRequest, by: string): ReportModel {
    return this.builder.build(req, by);
  }

  /** Starts an export in the background; progress and the result go out through onProgress. */
  startExport(input: { request: ReportRequest; format: ReportFormat; rows: 'report' | 'events'; folder?: string }, by: string): { exportId: string } {
    if (input.rows === 'events' && input.format !== 'csv') throw new AppErrorException('invalid-input', 'Event rows can only be exported as CSV.');
    // The file name is ours; the folder must be one of the report folders (nothing is created, nothing resolved
    // against the process's working folder, the same refusal whether or not a folder exists elsewhere).
    const folder = this.folders.resolve(input.folder);
    // Validate the period and name the file before answering, so bad input fails the call itself.
    const model = this.builder.build(input.request, by);
    const exportId = ulid(this.now());
    const ac = new AbortController();
    const outFile = path.join(folder, defaultFileName(model, input.format).replace(/\.(csv|pdf)$/, input.rows === 'events' ? '-events.$1' : '.$1'));
    let last = -1;
    const emit = (p: Omit<ExportProgress, 'exportId'>) => this.o.onProgress({ exportId, ...p });
    emit({ fraction: 0, state: 'running', file: null, message: null });
    const done = exportReport(this.builder, { request: input.request, format: input.format, rows: input.rows, outFile, generatedBy: by }, {
      signal: ac.signal,
      resolveSnapshot: (rel) => this.o.snapshots?.resolve(rel) ?? null,
      onProgress: (f) => {
        const pct = Math.floor(f * 50);
        if (pct === last) return;
        last = pct;
        emit({ fraction: f, state: 'running', file: null, message: null });
      },
    })
      .then((r) => emit({ fraction: 1, state: 'done', file: r.file, message: null }))
      .catch((err: unknown) => {
        const cancelled = ac.signal.aborted;
        emit({ fraction: 0, state: cancelled ? 'cancelled' : 'failed', file: null, message: err instanceof Error ? err.message : String(err) });
        if (!cancelled) this.o.logger.warn('report export failed', { err: err instanceof Error ? err.message : String(err) });
      })
      .finally(() => this.exports.delete(exportId));
    this.exports.set(exportId, { ac, done });
    return { exportId };
  }

  cancelExport(exportId: string): boolean {
    const e = this.exports.get(exportId);
    if (!e) return false;
    e.ac.abort();
    return true;
  }

  addEntry(text: string, by: string): OccurrenceEntry {
    return this.builder.book.add(text, by, this.now());
  }

  entries(from: number, to: number): OccurrenceEntry[] {
    return this.builder.book.between(from, to);
  }

  /** The shift running at `at` (default now; a later time is taken as now: the book has no future shifts). */
  currentShift(at?: number): { from: number; to: number; label: string; timeZone: string; signoff: ShiftSignoff | null } {
    const zone = this.builder.zone();
    const s = shiftAt(Math.min(at ?? this.now(), this.now()), zone, this.builder.shifts());
    const f = (ms: number) => formatDate(DateTime.fromMillis(ms, { zone }), 'ccc d LLL HH:mm');
    return { ...s, label: `${f(s.from)} – ${f(s.to)}`, timeZone: zone, signoff: this.builder.book.signoffOf(s.from, s.to) };
  }

  signOff(from: number, to: number, note: string | undefined, by: string): ShiftSignoff {
    return this.builder.book.signOff(from, to, by, note ?? null, this.now());
  }

  start(): void {
    this.scheduler.start();
  }

  /** Cancels running exports and stops the scheduler; resolves when both have let go of the files. */
  async dispose(): Promise<void> {
    for (const e of this.exports.values()) e.ac.abort();
    await Promise.all([...this.exports.values()].map((e) => e.done));
    await this.scheduler.stop();
  }
}
