import type { LiveFrame } from '../../shared/domain/detection';
import type { Actor } from '../../shared/domain/user';
import { invokeContract, type CallContext, type InvokeChannel, type InvokeHandlers } from '../../shared/ipc/contracts';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { AuditSink } from '../audit/audit-sink';
import { createAccessControl } from '../auth/access-control';
import { auditHandlers } from '../auth/audit.handlers';
import type { AuditTrail } from '../auth/audit-trail';
import { authHandlers } from '../auth/auth.handlers';
import type { AuthService } from '../auth/auth.service';
import type { ScryptParams } from '../auth/password-hash';
import type { CameraRuntime } from '../camera/camera-runtime';
import { evidenceHandlers } from '../evidence/evidence.handlers';
import type { RecordedSegments } from '../evidence/recorded-segments';
import { DownloadTickets } from '../downloads/download-tickets';
import { downloadsHandlers } from '../downloads/downloads.handlers';
import { exportHandlers } from '../export/export.handlers';
import type { ExportService, ExportServiceOptions } from '../export/export.service';
import { FrameLatency } from '../http-api/frame-latency';
import { integrationsHandlers } from '../integrations/integrations.handlers';
import type { IntegrationsService } from '../integrations/integrations.service';
import { facesHandlers } from '../faces/faces.handlers';
import type { Logger } from '../logging/logger';
import type { RecordingService, RecordingServiceOptions } from '../recording/recording.service';
import { recordingsHandlers } from '../recording/recordings.handlers';
import type { SegmentIndex } from '../recording/segment-index';
import { ModelInstaller } from '../models/model-installer';
import { masksHandlers } from '../privacy/masks.handlers';
import type { Disposable, WorkerStarter } from '../process/worker-starter';
import { reportsHandlers } from '../reports/reports.handlers';
import { retentionHandlers } from '../retention/retention.handlers';
import type { RetentionServiceOptions } from '../retention/retention.service';
import type { SecretBox } from '../storage/secret-box';
import type { SettingsRepository } from '../storage/settings.repository';
import { alarmsHandlers } from './alarms.handlers';
import { appHandlers } from './app.handlers';
import { camerasHandlers } from './cameras.handlers';
import { createDispatcher, type Dispatch } from './dispatcher';
import { alarmsPhase, analysisRatePhase, analyticsPhase, authPhase, camerasPhase, evidencePhase, exportPhase, facesPhase, healthPhase, integrationsPhase, recordingPhase, reportsPhase, storagePhase, type EngineParts, type PhaseRun } from './engine-phases';
import { eventsHandlers } from './events.handlers';
import type { EventsService } from './events.service';
import { healthHandlers } from './health.handlers';
import { layoutsHandlers } from './layouts.handlers';
import { modelsHandlers } from './models.handlers';
import { PushBus, type PushListener } from './push-bus';
import { rulesHandlers } from './rules.handlers';

export type CameraRuntimeFactory = (starter: WorkerStarter, logger: Logger) => CameraRuntime;

/** Everything a host gives the engine. */
export interface EngineOptions {
  /** Data directory (database, logs). */
  dataDir: string;
  /** How workers are started: child_process.fork (headless, tests) or utilityProcess.fork (Electron). */
  workerStarter: WorkerStarter;
  logger: Logger;
  /** Which host runs the engine (reported by app:info). */
  hostKind: 'electron' | 'headless';
  /** Application version (package.json). */
  version: string;
  /** Builds the camera runtime; default: the CameraSupervisor. */
  cameraRuntimeFactory?: CameraRuntimeFactory;
  /** Encryption of secrets at rest; default: AES-256-GCM with `<dataDir>/secret.key` (mode 0600). Electron passes safeStorage. */
  secretBox?: SecretBox;
  /** Password hashing cost (default DEFAULT_SCRYPT; tests may lower it). */
  scrypt?: ScryptParams;
  /** Clock of sessions, the idle lock and the login throttle (tests pass a fake one). */
  authClock?: () => number;
  /** Validate handler outputs (default: unless NODE_ENV=production). */
  validateOutputs?: boolean;
  /** Health push period in ms (default 2000). */
  healthIntervalMs?: number;
  /** Downloaded/imported models (default: WATCHROOM_MODELS_DIR, else <dataDir>/models). */
  modelsDir?: string;
  /** Shipped manifests folder (default: nativeModelsDir(), i.e. WATCHROOM_NATIVE_MODELS_DIR or <app>/native-models). */
  nativeModelsDir?: string;
  /** Run detection (the inference worker) at all (default true). */
  detection?: boolean;
  /** Period of the model-file check, ms (default 5000). */
  modelRefreshMs?: number;
  /** Audit trail for mask lifts/restores and retention runs (default: log lines only). */
  auditSink?: AuditSink;
  /** Alarm clock (tests): opening times, escalation, shelf timers and the flood window read it (default: the real clock, or the test clock file of WATCHROOM_TEST_ALARM_CLOCK_FILE). */
  alarms?: { now?: () => number };
  /** Retention schedule overrides (tests): first run delay, free-space probe. */
  retention?: Partial<Pick<RetentionServiceOptions, 'startupDelayMs' | 'freeBytes'>>;
  /** Export tuning (outbox cap, idle poll); defaults suit production. */
  exportOptions?: Partial<Pick<ExportServiceOptions, 'outbox' | 'maintenanceMs' | 'idleMs' | 'baseBackoffMs'>>;
  /** Recorded segments for playback and evidence export (default: the recording index). */
  recordedSegments?: RecordedSegments;
  /** Recording tuning (tests: segment length, stall, tick, free-space probe, backoff); `false` turns recording off. */
  recording?: Partial<Pick<RecordingServiceOptions, 'segmentSeconds' | 'stallMs' | 'tickMs' | 'freeBytes' | 'backoff' | 'ffmpegPath'>> | false;
}

type EngineState =
  | { type: 'created' }
  | { type: 'running'; services: Services; handlers: InvokeHandlers; phases: PhaseRun[] }
  | { type: 'disposing'; done: Promise<void> }
  | { type: 'disposed' };

/** Every service the phases built, by name (engine-phases.ts). */
type Services = Omit<
  ReturnType<typeof storagePhase> &
    ReturnType<typeof authPhase> &
    ReturnType<typeof exportPhase> &
    ReturnType<typeof camerasPhase> &
    ReturnType<typeof analyticsPhase> &
    ReturnType<typeof alarmsPhase> &
    ReturnType<typeof reportsPhase> &
    ReturnType<typeof analysisRatePhase> &
    ReturnType<typeof recordingPhase> &
    ReturnType<typeof evidencePhase> &
    ReturnType<typeof facesPhase> &
    ReturnType<typeof integrationsPhase> &
    ReturnType<typeof healthPhase>,
  'run'
>;

/**
 * The engine, host-agnostic: storage + services + camera runtime behind the IPC contract. Both hosts build
 * one, call start(), route requests through `dispatch`, forward `onPush` events and frames, and dispose() it.
 */
export class WatchroomEngine {
  private state: EngineState = { type: 'created' };
  private readonly push: PushBus;
  private readonly log: Logger;
  /** Every channel's handler; before start() and after dispose() they answer `unavailable` (app:info always answers). */
  readonly handlers: InvokeHandlers;
  readonly dispatch: Dispatch;
  /** Per-camera latency histograms from every analysed frame (the API's /metrics). */
  readonly frameLatency = new FrameLatency();
  /** Download tickets for reports and exports (the headless host redeems them at /download/<ticket>; Electron main too). */
  readonly downloads = new DownloadTickets(() => this.running().reports.folders.roots());
  /** Models fetched from an address or imported from a file in the app (Models page). */
  private readonly modelInstaller = new ModelInstaller({
    modelsDir: () => this.running().models.modelsDir,
    emit: (p) => this.push.emit('models:install-progress', p),
    afterInstall: () => this.running().models.installed(),
    afterFaceDetectorInstall: () => this.running().reopenFaceModels(),
    knownManifests: () => this.running().models.missingManifests(),
  });

  constructor(private readonly options: EngineOptions) {
    this.log = options.logger.child({ component: 'engine' });
    this.push = new PushBus(this.log);
    this.handlers = { ...forwardAll(() => this.runningHandlers()), ...appHandlers(options) };
    const access = createAccessControl(() => this.running().auth, () => this.running().audit);
    this.dispatch = createDispatcher({ handlers: this.handlers, logger: options.logger, validateOutputs: options.validateOutputs, access });
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  /** Builds every phase in order (the database is opened and migrated first), then starts them in that order. */
  start(): void {
    if (this.state.type !== 'created') throw new Error(`engine cannot start from state ${this.state.type}`);
    const parts: EngineParts = { options: this.options, log: this.log, push: this.push, frameLatency: this.frameLatency };
    const storage = storagePhase(parts);
    try {
      const auth = authPhase(parts, storage);
      const exporting = exportPhase(parts, storage, auth);
      const cameras = camerasPhase(parts, storage, auth, exporting);
      const analytics = analyticsPhase(parts, storage, auth, exporting, cameras);
      const alarms = alarmsPhase(parts, storage, auth, exporting, cameras, analytics);
      const analysisRate = analysisRatePhase(parts, cameras, alarms);
      const reports = reportsPhase(parts, storage, cameras);
      const recording = recordingPhase(parts, storage, cameras, alarms);
      const evidence = evidencePhase(parts, storage, auth, cameras, reports, recording);
      const faces = facesPhase(parts, storage, auth, cameras, analytics, alarms);
      const integrations = integrationsPhase(parts, storage, alarms);
      const health = healthPhase(parts, storage, cameras, exporting, integrations);

      const phases = [storage, auth, exporting, cameras, analytics, alarms, analysisRate, reports, recording, evidence, faces, integrations, health].map((p) => p.run);
      const services: Services = { ...storage, ...auth, ...exporting, ...cameras, ...analytics, ...alarms, ...analysisRate, ...reports, ...recording, ...evidence, ...faces, ...integrations, ...health };
      this.state = { type: 'running', services, handlers: this.buildHandlers(services), phases };
      for (const phase of phases) phase.start?.();
      this.log.info('engine started', { dataDir: this.options.dataDir, modelsDir: cameras.modelsDir, host: this.options.hostKind, version: this.options.version });
    } catch (err) {
      storage.db.close();
      this.state = { type: 'disposed' };
      throw err;
    }
  }

  /** Recording (recorders, settings, storage) and its segment index (playback and export read `segments`). */
  get recording(): RecordingService {
    return this.running().recording;
  }

  get segments(): SegmentIndex {
    return this.running().segments;
  }

  /** The file a playback ticket opens (hosts serve it with range requests), or null. */
  playbackFile(ticket: string): string | null {
    return this.state.type === 'running' ? this.state.services.evidence.playbackFile(ticket) : null;
  }

  /** Push events (every contract push channel). Returns a Disposable. */
  onPush(listener: PushListener): Disposable {
    return this.push.on(listener);
  }

  /** Live frames of one camera; returns the unsubscribe function. */
  subscribeFrames(cameraId: string, listener: (frame: LiveFrame) => void): () => void {
    return this.running().cameras.subscribeFrames(cameraId, listener);
  }

  /**
   * Drops every link between the phases, then stops the phases in reverse order (the database closes last).
   * Idempotent; a phase that fails to stop is logged and the others still stop; resolves when all is released.
   */
  async dispose(): Promise<void> {
    const s = this.state;
    if (s.type === 'disposed') return;
    if (s.type === 'disposing') return s.done;
    if (s.type === 'created') {
      this.state = { type: 'disposed' };
      return;
    }
    const done = (async () => {
      this.modelInstaller.dispose();
      for (const phase of s.phases) for (const link of phase.links) link.dispose();
      for (const phase of [...s.phases].reverse()) {
        try {
          await phase.stop?.();
        } catch (err) {
          this.log.error('engine phase failed to stop', { phase: phase.name, err });
        }
      }
      this.state = { type: 'disposed' };
      this.log.info('engine stopped');
    })();
    this.state = { type: 'disposing', done };
    return done;
  }

  /** Settings repository (for other services wired later). */
  get settings(): SettingsRepository {
    return this.running().settings;
  }

  /** Ledger write path for the camera pipeline (recordLive per frame with events, recordTracks for tracks). */
  get events(): EventsService {
    return this.running().events;
  }

  /** Store-and-forward export (sinks, outbox, delivery loops). */
  get exporter(): ExportService {
    return this.running().exporter;
  }

  /** The audit trail: `engine.audit.record({ actor, action, target, detail })` for changes nobody invoked (see audit-trail.ts). */
  get audit(): AuditTrail {
    return this.running().audit;
  }

  /** API tokens, the API switch and alarms from other systems (the HTTP API checks tokens here). */
  get integrations(): IntegrationsService {
    return this.running().integrations;
  }

  /** Accounts and sessions (hosts: `userOf(peer)` gates pushes and frames, `release(peer)` when a window goes). */
  get auth(): AuthService {
    return this.running().auth;
  }

  /** The signed-in user of a host's peer (a window or socket), or null: hosts send pushes and frames only to signed-in peers. */
  peerUser(peer: string): Actor | null {
    return this.state.type === 'running' ? this.state.services.auth.userOf(peer) : null;
  }

  /** A host's peer went away (socket closed, window destroyed): it no longer holds its session. */
  releasePeer(peer: string): void {
    if (this.state.type === 'running') this.state.services.auth.release(peer);
  }

  private running(): Services {
    return this.runningState().services;
  }

  private runningHandlers(): InvokeHandlers {
    return this.runningState().handlers;
  }

  private runningState(): Extract<EngineState, { type: 'running' }> {
    if (this.state.type !== 'running') throw new AppErrorException('unavailable', 'The engine is not running.');
    return this.state;
  }

  /** One handler map per contract area, each in its area's `*.handlers.ts`; the type refuses a channel without one. */
  private buildHandlers(s: Services): InvokeHandlers {
    // A camera's model wish may have changed: models:status says which cameras cannot have their own model.
    const camerasChanged = (): void => this.push.emit('models:status', s.models.status());
    return {
      ...appHandlers(this.options),
      ...camerasHandlers({ cameras: s.cameras, cameraRemoved: s.cameraRemoved, camerasChanged }),
      ...healthHandlers(s.health),
      ...modelsHandlers(s.models, () => this.modelInstaller, () => s.reopenFaceModels()),
      ...rulesHandlers(s.rules),
      ...eventsHandlers(s.events),
      ...masksHandlers(s.masks),
      ...retentionHandlers(s.retention),
      ...reportsHandlers(s.reports),
      ...alarmsHandlers(s.alarms),
      ...layoutsHandlers(s.layouts),
      ...exportHandlers(s.exporter),
      ...authHandlers(s.auth),
      ...auditHandlers(s.audit),
      ...integrationsHandlers(s.integrations),
      ...evidenceHandlers(() => s.evidence),
      ...downloadsHandlers(this.downloads),
      ...facesHandlers(() => s.faces),
      ...recordingsHandlers({ recording: () => s.recording, index: () => s.segments, cameraExists: (id) => s.cameraExists(id) }),
    };
  }
}

/** A handler map that forwards every channel to the map `current()` returns at call time. */
function forwardAll(current: () => InvokeHandlers): InvokeHandlers {
  const forward = (channel: InvokeChannel) => (input: unknown, ctx: CallContext) => (current()[channel] as (input: unknown, ctx: CallContext) => unknown)(input, ctx);
  return Object.fromEntries(Object.keys(invokeContract).map((c) => [c, forward(c as InvokeChannel)])) as InvokeHandlers;
}
