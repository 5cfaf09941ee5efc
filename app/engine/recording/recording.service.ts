import fs from 'node:fs';
import path from 'node:path';
import { parseSource } from '../../shared/domain/camera';
import type { CameraRecording, RecordingStorage, RecordingUsage } from '../../shared/domain/recording';
import type { SystemHealthSignal } from '../alarms/system-health';
import { createBackoff, type Backoff } from '../camera/backoff';
import { resolveFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import type { Logger } from '../logging/logger';
import { ensurePrivateDir, tightenPrivateFile } from '../storage/private-files';
import { RecorderProcess, recordable } from './recorder-process';
import { recoverRecordings } from './recording-recovery';
import type { RecordingSettingsRepository } from './recording-settings.repository';
import { inSchedule } from './recording-schedule';
import { enforceStorage, type StorageVerdict } from './recording-storage';
import { segmentRelPath, type SegmentIndex } from './segment-index';
import { probeSegment } from './segment-probe';

/** What the service needs to know of a camera. */
export interface RecordableCamera {
  id: string;
  /** Unmasked source. */
  source: string;
  rtspTransport: 'tcp' | 'udp';
  enabled: boolean;
}

export interface RecordingServiceOptions {
  index: SegmentIndex;
  settings: RecordingSettingsRepository;
  logger: Logger;
  /** The cameras now (read at every reconcile). */
  cameras: () => RecordableCamera[];
  /** A recording-stopped system alarm raised or cleared (AlarmsService.onSystemHealth). */
  onSystemHealth?: (s: SystemHealthSignal) => void;
  /** ffmpeg path (default: resolveFfmpeg()). */
  ffmpegPath?: () => string;
  /** Segment length, seconds (default 6). */
  segmentSeconds?: number;
  /** No video for this long kills a recorder (default 20 s). */
  stallMs?: number;
  /** Period of the reconcile (schedules, camera changes) and storage pass, ms (default 5000). */
  tickMs?: number;
  /** Free bytes on the recordings disk (default: statfs); tests inject a full disk. */
  freeBytes?: (dir: string) => number | null;
  now?: () => number;
  /** Restart backoff (tests shorten it). */
  backoff?: { initialMs?: number; maxMs?: number };
}

interface OpenSegment {
  id: number;
  file: string;
  startMs: number;
}

interface CameraRecorder {
  cameraId: string;
  /** Source + transport the recorder runs with: a change restarts it. */
  key: string;
  recorder: RecorderProcess | null;
  open: Map<string, OpenSegment>;
  backoff: Backoff;
  retry: NodeJS.Timeout | null;
  /** Set when the camera should no longer record: no restart after the recorder ends. */
  stopping: boolean;
  /** Work in flight (segment moves), awaited by stop(). */
  pending: Set<Promise<void>>;
}

/** Bytes in a GiB. */
const GIB = 1024 ** 3;

/**
 * Records every camera that should (enabled, mode not off, inside its schedule, a stream-copyable source), one
 * recorder ffmpeg per camera beside the camera's own worker: a recorder failure never touches live view or
 * analysis, and the camera worker's crash never touches recording. A recorder that ends is restarted with the
 * cameras' backoff. Each complete segment moves from `<camera>/.incoming/` to `<camera>/<YYYY-MM-DD>/<startMs>.mp4`
 * (UTC date, mode 0600) and its row becomes 'ok'. A storage pass keeps retention, the quota and the free-space
 * floor; when nothing more can go, recording stops and a system alarm is raised until there is room again.
 */
export class RecordingService {
  private readonly recorders = new Map<string, CameraRecorder>();
  private readonly log: Logger;
  private readonly now: () => number;
  private tick: NodeJS.Timeout | null = null;
  private started = false;
  private stoppedForSpace = false;
  private lastVerdict: StorageVerdict | null = null;
  /** Event windows still open (post-roll running): segments completing inside them are event footage. */
  private readonly eventWindows = new Map<string, { fromMs: number; toMs: number }[]>();
  private recovery: Promise<void> | null = null;

  constructor(private readonly o: RecordingServiceOptions) {
    this.log = o.logger.child({ component: 'recording' });
    this.now = o.now ?? Date.now;
  }

  get root(): string {
    return this.o.index.root;
  }

  /** Makes the index and the files agree (after a crash), then starts the recorders and the periodic pass. */
  start(): Promise<void> {
    if (this.started) return this.recovery ?? Promise.resolve();
    this.started = true;
    ensurePrivateDir(this.root);
    this.recovery = recoverRecordings({ index: this.o.index, ffmpegPath: this.ffmpegPath(), log: this.log })
      .then((r) => {
        if (r.indexed || r.removed || r.missing || r.finished) this.log.info('recordings checked at start', { ...r });
      })
      .catch((err: unknown) => this.log.error('recordings check at start failed', { err }))
      .then(() => {
        if (!this.started) return;
        this.pass();
        this.tick = setInterval(() => this.pass(), this.o.tickMs ?? 5000);
        this.tick.unref?.();
      });
    return this.recovery;
  }

  /** Stops every recorder (each finishes its segment), resolves when all ended and their segments are indexed. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
    await this.recovery?.catch(() => {});
    await Promise.all([...this.recorders.values()].map((r) => this.stopRecorder(r)));
    this.recorders.clear();
  }

  /** Re-reads cameras, settings and schedules: starts and stops recorders to match. */
  reconcile(): void {
    if (!this.started) return;
    const wanted = new Map<string, RecordableCamera>();
    if (!this.stoppedForSpace) {
      const at = new Date(this.now());
      for (const cam of this.o.cameras()) {
        if (!cam.enabled) continue;
        const s = this.o.settings.camera(cam.id);
        if (s.mode === 'off' || (s.schedule && !inSchedule(s.schedule, at))) continue;
        let kind;
        try {
          kind = parseSource(cam.source).kind;
        } catch {
          continue;
        }
        if (recordable(kind)) wanted.set(cam.id, cam);
      }
    }
    for (const [id, r] of this.recorders) {
      const cam = wanted.get(id);
      if (!cam || keyOf(cam) !== r.key) {
        this.recorders.delete(id);
        void this.stopRecorder(r);
      }
    }
    for (const [id, cam] of wanted) if (!this.recorders.has(id)) this.startCamera(cam);
  }

  /** An event at `atMs` on a camera: the segments of its pre-roll..post-roll window are event footage (kept). */
  onEvent(cameraId: string, atMs: number): void {
    if (!this.started) return;
    const s = this.o.settings.camera(cameraId);
    const fromMs = atMs - s.preRollS * 1000;
    const toMs = atMs + s.postRollS * 1000;
    this.o.index.markEvent(cameraId, fromMs, toMs);
    const list = (this.eventWindows.get(cameraId) ?? []).filter((w) => w.toMs > this.now() - 60_000);
    list.push({ fromMs, toMs });
    this.eventWindows.set(cameraId, list);
  }

  cameraSettings(cameraId: string): CameraRecording {
    return this.o.settings.camera(cameraId);
  }

  setCameraSettings(cameraId: string, s: CameraRecording): CameraRecording {
    this.o.settings.setCamera(cameraId, s);
    this.reconcile();
    return this.o.settings.camera(cameraId);
  }

  storage(): RecordingStorage {
    return this.o.settings.storage();
  }

  setStorage(s: RecordingStorage): RecordingStorage {
    this.o.settings.setStorage(s);
    this.pass();
    return this.o.settings.storage();
  }

  usage(): RecordingUsage {
    const u = this.o.index.usage();
    const cams = new Set([...u.perCamera.keys(), ...this.o.cameras().map((c) => c.id)]);
    return {
      bytes: u.bytes,
      freeBytes: this.freeBytes(),
      segments: u.segments,
      oldestMs: u.oldestMs,
      stoppedForSpace: this.stoppedForSpace,
      cameras: [...cams].map((id) => ({ cameraId: id, bytes: u.perCamera.get(id) ?? 0, recording: this.recorders.get(id)?.recorder?.running ?? false })),
    };
  }

  /** Pids of the running recorder ffmpegs (tests, health). */
  recorderPids(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [id, r] of this.recorders) if (r.recorder?.running && r.recorder.pid) out.set(id, r.recorder.pid);
    return out;
  }

  /** One periodic pass: retention, events-mode pruning, quota and floor, then the recorders. */
  pass(): void {
    if (!this.started) return;
    try {
      const storage = this.o.settings.storage();
      const verdict = enforceStorage({
        index: this.o.index,
        now: this.now(),
        cameras: this.o.index.cameraIds().map((id) => ({ id, settings: this.o.settings.camera(id) })),
        quotaBytes: storage.quotaGb > 0 ? storage.quotaGb * GIB : null,
        minFreeBytes: storage.minFreeMb * 1024 * 1024,
        freeBytes: () => this.freeBytes(),
        log: this.log,
      });
      this.lastVerdict = verdict;
      this.judgeSpace(verdict, storage);
    } catch (err) {
      this.log.error('recording storage pass failed', { err });
    }
    this.reconcile();
  }

  private judgeSpace(v: StorageVerdict, storage: RecordingStorage): void {
    const detail = { condition: 'recording-stopped' as const, bytes: v.bytes, quotaBytes: storage.quotaGb > 0 ? storage.quotaGb * GIB : null, freeBytes: v.freeBytes, minFreeBytes: storage.minFreeMb * 1024 * 1024 };
    if (!v.room && !this.stoppedForSpace) {
      this.stoppedForSpace = true;
      this.log.warn('recording stopped: no room for recordings', { ...detail });
      this.o.onSystemHealth?.({ subject: 'recordings', condition: 'recording-stopped', kind: 'raise', detail, reason: 'Recording stopped: the recordings quota or the disk free-space floor leaves no room.' });
    } else if (v.room && this.stoppedForSpace) {
      this.stoppedForSpace = false;
      this.log.info('recording resumed: there is room again', { ...detail });
      this.o.onSystemHealth?.({ subject: 'recordings', condition: 'recording-stopped', kind: 'clear', detail, reason: 'There is room for recordings again.' });
    }
  }

  /** Whether recording is stopped for lack of space (with the last storage pass's figures). */
  get spaceState(): { stoppedForSpace: boolean; last: StorageVerdict | null } {
    return { stoppedForSpace: this.stoppedForSpace, last: this.lastVerdict };
  }

  private freeBytes(): number | null {
    if (this.o.freeBytes) return this.o.freeBytes(this.root);
    try {
      const s = fs.statfsSync(this.root);
      return s.bavail * s.bsize;
    } catch {
      return null;
    }
  }

  private ffmpegPath(): string {
    return this.o.ffmpegPath ? this.o.ffmpegPath() : resolveFfmpeg().path;
  }

  private startCamera(cam: RecordableCamera): void {
    const r: CameraRecorder = {
      cameraId: cam.id,
      key: keyOf(cam),
      recorder: null,
      open: new Map(),
      backoff: createBackoff({ initialMs: this.o.backoff?.initialMs ?? 1000, maxMs: this.o.backoff?.maxMs ?? 60_000 }),
      retry: null,
      stopping: false,
      pending: new Set(),
    };
    this.recorders.set(cam.id, r);
    this.launch(r, cam);
  }

  private launch(r: CameraRecorder, cam: RecordableCamera): void {
    r.retry = null;
    if (r.stopping) return;
    const stagingDir = path.join(this.root, cam.id, '.incoming');
    let ffmpegPath: string;
    try {
      ensurePrivateDir(stagingDir);
      ffmpegPath = this.ffmpegPath();
    } catch (err) {
      this.log.error('recorder cannot start', { cameraId: cam.id, err });
      this.scheduleRestart(r, cam);
      return;
    }
    const kind = parseSource(cam.source).kind;
    const startedAt = this.now();
    // Segment times come from the stream's own timeline (the segment list), anchored to the wall clock once per run
    // at its first segment: the open lines alone arrive late whenever this process is busy.
    let anchorMs: number | null = null;
    let lastEndS = 0;
    const recorder = new RecorderProcess(
      ffmpegPath,
      { source: cam.source, kind, rtspTransport: cam.rtspTransport, stagingDir, runId: String(startedAt), segmentSeconds: this.o.segmentSeconds ?? 6 },
      {
        opened: (file, atMs) => {
          if (anchorMs === null) anchorMs = atMs;
          const startMs = anchorMs + lastEndS * 1000;
          try {
            const id = this.o.index.open(cam.id, startMs, path.relative(this.root, file), recorder.codec);
            r.open.set(file, { id, file, startMs });
          } catch (err) {
            this.log.error('recording index write failed', { cameraId: cam.id, err });
          }
        },
        completed: (file, startS, endS) => {
          lastEndS = Math.max(lastEndS, endS);
          const seg = r.open.get(file);
          if (seg && anchorMs !== null) seg.startMs = anchorMs + startS * 1000;
          this.track(r, this.finish(r, file, Math.max(0, endS - startS) * 1000, recorder.codec));
        },
        exited: (code, signal, killedFor, tail) => {
          const healthy = this.now() - startedAt > 30_000;
          if (healthy) r.backoff.reset();
          // Segments left open (a kill): probe what the file holds, then index it (or drop it).
          for (const seg of [...r.open.values()]) this.track(r, this.finish(r, seg.file, null, recorder.codec));
          if (r.stopping) return;
          this.log.warn('recorder ended', { cameraId: cam.id, code, signal, killedFor, tail: tail.split('\n').slice(-3).join(' | ') });
          this.scheduleRestart(r, cam);
        },
      },
      { stallMs: this.o.stallMs ?? 20_000, now: this.now },
    );
    r.recorder = recorder;
  }

  private scheduleRestart(r: CameraRecorder, cam: RecordableCamera): void {
    if (r.stopping || r.retry) return;
    const delay = r.backoff.next();
    r.retry = setTimeout(() => this.launch(r, cam), delay);
    r.retry.unref?.();
  }

  private track(r: CameraRecorder, p: Promise<void>): void {
    r.pending.add(p);
    void p.finally(() => r.pending.delete(p));
  }

  /**
   * A segment is done (its list line, or its recorder ended): moved to its dated folder with mode 0600 and its row
   * completed. Duration from the list, else probed from the file; a file with nothing playable is removed.
   */
  private async finish(r: CameraRecorder, file: string, durationMs: number | null, codec: string | null): Promise<void> {
    const seg = r.open.get(file);
    if (!seg) return;
    r.open.delete(file);
    // The list line can come just before ffmpeg closes the file: let it.
    await new Promise((res) => setTimeout(res, 50));
    let duration = durationMs;
    let probedCodec = codec;
    if (duration === null) {
      const probe = fs.existsSync(file) ? await probeSegment(this.ffmpegPath(), file) : null;
      if (!probe || probe.durationS <= 0) {
        fs.rmSync(file, { force: true });
        this.safeIndex(() => this.o.index.remove(seg.id));
        return;
      }
      duration = probe.durationS * 1000;
      probedCodec = codec ?? probe.codec;
    }
    // Two segments never share a file name (a start in the same millisecond moves by a millisecond).
    while (fs.existsSync(path.join(this.root, segmentRelPath(r.cameraId, seg.startMs)))) seg.startMs += 1;
    const rel = segmentRelPath(r.cameraId, seg.startMs);
    const dest = path.join(this.root, rel);
    try {
      ensurePrivateDir(path.dirname(dest));
      fs.renameSync(file, dest);
      tightenPrivateFile(dest);
      const bytes = fs.statSync(dest).size;
      const endMs = seg.startMs + duration;
      this.safeIndex(() => this.o.index.complete(seg.id, { relPath: rel, startMs: seg.startMs, endMs, bytes, codec: probedCodec }));
      const windows = this.eventWindows.get(r.cameraId) ?? [];
      for (const w of windows) if (w.fromMs <= endMs && w.toMs >= seg.startMs) this.safeIndex(() => this.o.index.markEvent(r.cameraId, w.fromMs, w.toMs));
    } catch (err) {
      // Left in .incoming with its 'recording' row: the next start's check indexes it.
      this.log.error('segment could not be moved into place', { cameraId: r.cameraId, err });
    }
  }

  private safeIndex(f: () => void): void {
    try {
      f();
    } catch (err) {
      // The database closed under us (dispose): the next start's check finishes the job.
      this.log.warn('recording index write failed', { err });
    }
  }

  private async stopRecorder(r: CameraRecorder): Promise<void> {
    r.stopping = true;
    if (r.retry) clearTimeout(r.retry);
    r.retry = null;
    await r.recorder?.stop();
    await Promise.all([...r.pending]);
  }
}

function keyOf(c: RecordableCamera): string {
  return `${c.rtspTransport} ${c.source}`;
}
