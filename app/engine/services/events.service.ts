import type { AnalyticsEvent } from '../../shared/domain/analytics';
import type { Rule } from '../../shared/domain/rules';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { InvokeOutput, InvokeParsedInput } from '../../shared/ipc/contracts';
import { ledgerInputOf } from '../ledger/ledger-input';
import { LedgerRepository, ledgerId, type LedgerEventInput, type LedgerRow } from '../ledger/ledger.repository';
import { SnapshotStore } from '../ledger/snapshot-store';
import { reviewEvents } from './events-review';
import { TrackStore, type CompactTrack } from '../ledger/track-store';
import type { Logger } from '../logging/logger';
import { ruleQualityWarnings } from '../rules/quality-guards';
import type { Db } from '../storage/database';
import type { PushBus } from './push-bus';

/** One analysed frame's rule events, as the camera pipeline hands them over. */
export interface LiveEventsInput {
  cameraId: string;
  /** CameraAnalytics.update(...).events of this frame. */
  events: readonly AnalyticsEvent[];
  /** Wall-clock time of the frame (FrameHeader.capturedAt), epoch ms. */
  frameMs: number;
  /** Detector id (FrameHeader.modelId). */
  modelId?: string | null;
  /** The frame's JPEG: when given, one snapshot per event is drawn and saved asynchronously. */
  jpeg?: Uint8Array | null;
}

const HOUR_MS = 3600_000;
/** Stored tracks are kept this long (dry runs look back 24 h by default). */
export const TRACK_RETENTION_MS = 7 * 24 * HOUR_MS;

/** Ledger, counts and dry-runs behind the events contract; also the pipeline's write path. */
export class EventsService {
  readonly ledger: LedgerRepository;
  readonly tracks: TrackStore;
  private lastPruneMs = 0;
  /** Age beyond which stored tracks are pruned hourly (set from the retention policy). */
  trackRetentionMs = TRACK_RETENTION_MS;

  constructor(
    private readonly db: Db,
    private readonly push: PushBus,
    private readonly snapshots: SnapshotStore | null,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    /** Called inside the ledger's insert transaction for each new row (the export outbox). */
    onLedgerRowInTx?: (db: Db, row: LedgerEventInput & { id: string }) => void,
  ) {
    this.ledger = new LedgerRepository(db, () => new Date(this.now()), onLedgerRowInTx);
    this.tracks = new TrackStore(db);
  }

  /** Stores a frame's events (deduplicated), pushes `events:new` for each new row, queues snapshots. */
  recordLive(input: LiveEventsInput): LedgerRow[] {
    if (!input.events.length) return [];
    const withIds = input.events.map((e) => {
      const id = ledgerId(input.frameMs);
      const snapshot = input.jpeg && this.snapshots ? SnapshotStore.relativePath(id, input.frameMs) : null;
      return { e, id, snapshot };
    });
    const inserted = this.ledger.append(
      withIds.map(({ e, id, snapshot }) => ({
        ...ledgerInputOf(e, { cameraId: input.cameraId, frameMs: input.frameMs, modelId: input.modelId, source: 'live' }),
        id,
        snapshot,
      })),
    );
    const rows: LedgerRow[] = [];
    for (const ins of inserted) {
      if (ins.snapshot && input.jpeg && this.snapshots) {
        void this.snapshots.save(ins.snapshot, input.jpeg, ins.box ?? null);
      }
      const row = this.ledger.get(ins.id);
      if (row) {
        rows.push(row);
        this.push.emit('events:new', row);
      }
    }
    return rows;
  }

  /** Resolves when queued snapshots are written (call before closing the engine). */
  idle(): Promise<void> {
    return this.snapshots?.idle() ?? Promise.resolve();
  }

  /** Stores finished compact tracks (TrackRecorder.observe / flush output). */
  recordTracks(tracks: readonly CompactTrack[]): void {
    if (tracks.length) this.tracks.insert(tracks);
    const now = this.now();
    if (now - this.lastPruneMs >= HOUR_MS && Number.isFinite(this.trackRetentionMs)) {
      this.lastPruneMs = now;
      const n = this.tracks.prune(now - this.trackRetentionMs);
      if (n) this.logger.debug('old tracks pruned', { n });
    }
  }

  list(i: InvokeParsedInput<'events:list'>): InvokeOutput<'events:list'> {
    const rows = this.ledger.list({
      cameraId: i.cameraId,
      ruleId: i.ruleId,
      types: i.types,
      fromMs: i.from,
      toMs: i.to,
      beforeId: i.cursor,
      limit: i.limit,
      includeVoided: i.includeVoided,
    });
    return { rows, nextCursor: rows.length === i.limit ? rows[rows.length - 1]!.id : null };
  }

  /** Events review: ledger events and alarm history steps merged (see events-review.ts). */
  review(i: InvokeParsedInput<'events:review'>): InvokeOutput<'events:review'> {
    return reviewEvents(this.db, this.ledger, i);
  }

  void(i: InvokeParsedInput<'events:void'>, by: string | null = null): LedgerRow {
    const row = this.ledger.void(i.eventId, i.reason, by);
    this.logger.info('event voided', { eventId: i.eventId, by });
    return row;
  }

  correct(i: InvokeParsedInput<'events:correct'>, by: string | null = null): LedgerRow {
    const row = this.ledger.correct(i.eventId, i.reason, { direction: i.direction, cls: i.cls, count: i.count }, by);
    this.logger.info('event corrected', { eventId: i.eventId, by });
    return row;
  }

  totals(i: InvokeParsedInput<'counts:totals'>): InvokeOutput<'counts:totals'> {
    return this.ledger.totals({ cameraId: i.cameraId, ruleId: i.ruleId, fromMs: i.from, toMs: i.to });
  }

  /** Replays the camera's stored tracks of the last `hours` through the rule, plus quality warnings. */
  dryRun(i: { cameraId: string; rule: Rule; hours: number }): InvokeOutput<'rules:dry-run'> {
    const cam = this.db.prepare('SELECT analysis_fps FROM cameras WHERE id = ?').get(i.cameraId) as { analysis_fps: number } | undefined;
    if (!cam) throw new AppErrorException('not-found', 'This camera does not exist (any more).');
    const now = this.now();
    const since = now - i.hours * HOUR_MS;
    const summary = this.tracks.dryRunRule(i.cameraId, i.rule, since, now);
    const warnings = ruleQualityWarnings(i.rule, { analysisFps: cam.analysis_fps, tracker: this.tracks.stats(i.cameraId, since) });
    return { ...summary, warnings };
  }
}
