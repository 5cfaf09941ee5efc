import crypto from 'node:crypto';
import path from 'node:path';
import { ulid } from 'ulid';
import type { EvidenceProgress, EvidenceVerify } from '../../shared/domain/evidence';
import type { PrivacyMask } from '../../shared/domain/privacy-mask';
import type { Actor } from '../../shared/domain/user';
import { AppErrorException, toAppError } from '../../shared/ipc/envelope';
import type { EvidenceTimeline, PlaybackClipView } from '../../shared/ipc/evidence.contract';
import type { AuditTrail } from '../auth/audit-trail';
import { LedgerRepository } from '../ledger/ledger.repository';
import { TrackStore } from '../ledger/track-store';
import type { PlaybackTrack } from '../../shared/domain/track-at';
import type { Logger } from '../logging/logger';
import type { Db } from '../storage/database';
import { exportEvidence, planEvidenceExport } from './evidence-export';
import { auditRowLookup, databaseEvidenceSources } from './evidence-sources';
import { verifyEvidenceFolder } from './evidence-verify';
import { PlaybackClips } from './playback-clips';
import type { RecordedSegments } from './recorded-segments';

export interface EvidenceServiceOptions {
  db: Db;
  dataDir: string;
  segments: RecordedSegments;
  audit: AuditTrail;
  /** The trail's actor for a signed-in user's name. */
  actorNamed: (name: string) => Actor | undefined;
  /** Where exports may be written: the report folders (an admin's list; anything else is refused). */
  folders: { resolve(requested?: string): string };
  /** The privacy masks in force for a camera (burned into playback exactly as into the live view). */
  activeMasks: (cameraId: string) => PrivacyMask[];
  onProgress: (p: EvidenceProgress) => void;
  logger: Logger;
  now?: () => number;
}

/** How long a playback ticket lets its holder fetch the clip. */
const TICKET_MS = 2 * 60 * 60_000;

/**
 * Playback and evidence exports in the engine: the timeline (recorded ranges, events, alarms), playable clips
 * behind short-lived random tickets (served by the hosts: HTTP range requests in the headless host, app:// in
 * Electron), exports as background jobs with progress and cancel, and verify.
 */
export class EvidenceService {
  readonly clips: PlaybackClips;
  private readonly tickets = new Map<string, { clipId: string; untilMs: number }>();
  private readonly jobs = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private readonly ledger: LedgerRepository;
  private readonly trackStore: TrackStore;
  private readonly now: () => number;

  constructor(private readonly o: EvidenceServiceOptions) {
    this.clips = new PlaybackClips(o.segments, path.join(o.dataDir, 'cache', 'playback'), o.activeMasks);
    this.ledger = new LedgerRepository(o.db);
    this.trackStore = new TrackStore(o.db);
    this.now = o.now ?? Date.now;
  }

  /** Clears clips cached by an earlier run (copies, rebuilt on demand). */
  start(): void {
    this.clips.clear();
  }

  async stop(): Promise<void> {
    for (const j of this.jobs.values()) j.abort.abort();
    await Promise.allSettled([...this.jobs.values()].map((j) => j.done));
    this.tickets.clear();
  }

  timeline(w: { cameraIds: string[]; from: number; to: number }): EvidenceTimeline {
    const cameras = w.cameraIds.map((cameraId) => ({ cameraId, ranges: this.o.segments.ranges(cameraId, w.from, w.to) }));
    const events = w.cameraIds.flatMap((cameraId) =>
      this.ledger.list({ cameraId, fromMs: w.from, toMs: w.to, limit: 1000 }).map((r) => ({ id: r.id, cameraId, atMs: r.frameMs, type: r.type, ruleId: r.ruleId })),
    );
    const alarms = (
      this.o.db
        .prepare(`SELECT id, camera_id, opened_ms, type, priority FROM alarms WHERE camera_id IN (${w.cameraIds.map(() => '?').join(',')}) AND opened_ms >= ? AND opened_ms < ? ORDER BY opened_ms LIMIT 1000`)
        .all(...w.cameraIds, w.from, w.to) as { id: string; camera_id: string; opened_ms: number; type: string; priority: number }[]
    ).map((a) => ({ id: a.id, cameraId: a.camera_id, atMs: a.opened_ms, type: a.type, priority: a.priority }));
    return { cameras, events: events.sort((a, b) => a.atMs - b.atMs), alarms };
  }

  /** The boxes and tracks the track store holds for a camera in a window (drawn over playback where they exist). */
  tracks(cameraId: string, from: number, to: number): { tracks: PlaybackTrack[] } {
    return { tracks: this.trackStore.load(cameraId, from, to).map((t) => ({ trackId: t.trackId, cls: t.cls, samples: t.samples.map((s) => ({ ms: s.ms, box: s.box })) })) };
  }

  /** A clip of the recording around `at`, behind a new ticket for this caller only. */
  async play(i: { cameraId: string; at: number }): Promise<PlaybackClipView> {
    const clip = await this.clips.clipAt(i.cameraId, i.at);
    const ticket = crypto.randomBytes(24).toString('base64url');
    const now = this.now();
    for (const [t, v] of this.tickets) if (v.untilMs <= now) this.tickets.delete(t);
    this.tickets.set(ticket, { clipId: clip.id, untilMs: now + TICKET_MS });
    return { cameraId: clip.cameraId, ticket, clipStartMs: clip.clipStartMs, clipEndMs: clip.clipEndMs, codec: clip.codec, transcoded: clip.transcoded, masked: clip.masked };
  }

  /** The file a playback ticket opens (the hosts serve it with range requests); null: unknown or expired. */
  playbackFile(ticket: string): string | null {
    const t = this.tickets.get(ticket);
    if (!t || t.untilMs <= this.now()) return null;
    return this.clips.fileOf(t.clipId);
  }

  /** Starts an export in the background; checks everything that can be checked first (bad input throws here). */
  startExport(i: { cameraIds: string[]; from: number; to: number; reason: string; folder?: string }, actor: string, approver: string | null, liftMasks: boolean): { exportId: string } {
    const destination = this.o.folders.resolve(i.folder);
    const sources = databaseEvidenceSources({ db: this.o.db, dataDir: this.o.dataDir, segments: this.o.segments, audit: this.o.audit, actorNamed: this.o.actorNamed, now: this.now });
    const req = { cameraIds: i.cameraIds, fromMs: i.from, toMs: i.to, reason: i.reason, liftMasks, destination, actor, approver };
    planEvidenceExport(req, sources);
    const exportId = ulid();
    const abort = new AbortController();
    const emit = (p: Omit<EvidenceProgress, 'exportId'>) => this.o.onProgress({ exportId, ...p });
    let last = -1;
    // Bad input (no recording, removed camera, a full destination) was refused above, before the job starts.
    const job = (async () => {
      await Promise.resolve();
      return exportEvidence(req, sources, {
        signal: abort.signal,
        onProgress: (f) => {
          if (f - last < 0.02 && f < 1) return;
          last = f;
          emit({ fraction: f, state: 'running', folder: null, message: null });
        },
      });
    })();
    const done = job.then(
      (r) => emit({ fraction: 1, state: 'done', folder: r.folder, message: null }),
      (err: unknown) => {
        if (abort.signal.aborted) emit({ fraction: 0, state: 'cancelled', folder: null, message: 'The export was cancelled; nothing was written.' });
        else {
          this.o.logger.warn('evidence export failed', { err });
          emit({ fraction: 0, state: 'failed', folder: null, message: toAppError(err).message });
        }
      },
    );
    this.jobs.set(exportId, { abort, done: done.finally(() => this.jobs.delete(exportId)) });
    return { exportId };
  }

  cancel(exportId: string): boolean {
    const j = this.jobs.get(exportId);
    if (!j) return false;
    j.abort.abort();
    return true;
  }

  /** Verify an export in one of the allowed folders (checked against the audit trail too). */
  verify(folder: string): EvidenceVerify {
    if (!path.isAbsolute(folder)) throw new AppErrorException('invalid-input', 'Give the export folder as a full path.');
    const parent = this.o.folders.resolve(path.dirname(path.resolve(folder)));
    return verifyEvidenceFolder(path.join(parent, path.basename(folder)), auditRowLookup(this.o.db));
  }
}
