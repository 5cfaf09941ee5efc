import path from 'node:path';
import type { CameraMasks } from '../../shared/ipc/masks.contract';
import { alarmClockFromEnv } from '../alarms/alarm-clock';
import { HealthDetectors } from '../alarms/health-detectors';
import { InboundAlarms } from '../alarms/inbound-alarms';
import { AuditSeal } from '../audit/audit-seal';
import { trailAuditSink, type AuditSink } from '../audit/audit-sink';
import { AuditTrail } from '../auth/audit-trail';
import { AuthService } from '../auth/auth.service';
import { UsersRepository } from '../auth/users.repository';
import { CameraSupervisor } from '../camera/camera-supervisor';
import type { CameraRuntime } from '../camera/camera-runtime';
import { ExportService } from '../export/export.service';
import type { FrameLatency } from '../http-api/frame-latency';
import { InferenceHost } from '../inference/inference-host';
import { IntegrationsService } from '../integrations/integrations.service';
import type { LedgerRow } from '../ledger/ledger.repository';
import { SnapshotStore } from '../ledger/snapshot-store';
import type { Logger } from '../logging/logger';
import { ModelRegistry } from '../models/model-registry';
import { manifestDirs, resolveModelsDir } from '../models/models-dir';
import { PrivacyMasksRepository } from '../privacy/privacy-masks.repository';
import { PrivacyMasksService } from '../privacy/privacy-masks.service';
import type { Disposable } from '../process/worker-starter';
import { storedAlarms } from '../reports/shift-sources';
import { ReportsService } from '../reports/reports.service';
import { RetentionService } from '../retention/retention.service';
import { CameraRepository } from '../storage/camera.repository';
import { openDatabase } from '../storage/database';
import { keyFileSecretBox } from '../storage/key-file-secret-box';
import type { SecretBox } from '../storage/secret-box';
import { SettingsRepository } from '../storage/settings.repository';
import { SqliteRulesRepository } from '../storage/rules.repository';
import { AlarmsService } from './alarms.service';
import { CameraService } from './camera.service';
import type { CameraRuntimeFactory, EngineOptions } from './engine';
import { EventsService } from './events.service';
import { HealthService } from './health.service';
import { LayoutsService } from './layouts.service';
import { liveCounters } from './live-counters';
import { inferenceRuntimeSettings, MODEL_SETTINGS, ModelsService } from './models.service';
import { Emitter } from '../../shared/events/emitter';
import { EvidenceService } from '../evidence/evidence.service';
import { FaceAnalyzer, findFaceModels } from '../faces/face-analyzer';
import { LiveFaceStep, openFaceMatchAlarm } from '../faces/face-live';
import { FaceWatch } from '../faces/face-watch';
import { WatchlistService } from '../faces/watchlist.service';
import { AnalysisRateController } from '../motion/analysis-rate-controller';
import { RecordingService } from '../recording/recording.service';
import { RecordingSettingsRepository } from '../recording/recording-settings.repository';
import { SegmentIndex } from '../recording/segment-index';
import type { PushBus } from './push-bus';
import { RulesService } from './rules.service';

/**
 * The engine's start-up, one function per phase: storage → auth → export → cameras → analytics → alarms →
 * reports → integrations → health. Each phase builds its services from what the earlier phases returned and
 * returns what the later ones need, plus its `run`: what it starts once every phase is built, the subscriptions
 * that link it to earlier phases, and what it stops. The engine (engine.ts) drops every link first, then stops
 * the phases in reverse order.
 *
 * Export comes before cameras because the ledger and the alarm store write into its outbox inside their own
 * transactions. Where an earlier area must react to a later one (a camera removed, masks changed, ledger rows
 * written), it announces through an Emitter (app/shared/events/emitter.ts) created by the earlier phase, and the later phase subscribes.
 */

/** What every phase may use: the host's options and the engine's own logger, push bus and frame latency. */
export interface EngineParts {
  options: EngineOptions;
  log: Logger;
  push: PushBus;
  frameLatency: FrameLatency;
}

/** A phase's running side. */
export interface PhaseRun {
  readonly name: string;
  /** Started in phase order, once every phase is built. */
  start?(): void;
  /** Subscriptions to earlier phases: all of them are dropped before any phase stops. */
  readonly links: Disposable[];
  /** Stopped in reverse phase order; a failure is logged and the next phase still stops. */
  stop?(): void | Promise<void>;
}

/** One camera worker process per enabled camera. */
const defaultCameraRuntimeFactory: CameraRuntimeFactory = (starter, logger) => new CameraSupervisor({ starter, logger });

export function storagePhase({ options: o, log }: EngineParts) {
  const db = openDatabase({ dataDir: o.dataDir, logger: log });
  try {
    const settings = new SettingsRepository(db);
    const secretBox: SecretBox = o.secretBox ?? keyFileSecretBox(o.dataDir);
    const cameraRepo = new CameraRepository(db, secretBox);
    const resealed = cameraRepo.resealAll();
    if (resealed) log.info('camera credentials sealed at rest', { cameras: resealed });
    const snapshots = new SnapshotStore({ dataDir: o.dataDir, logger: log.child({ component: 'snapshots' }) });
    const cameraExists = (id: string): boolean => cameraRepo.get(id) !== undefined;
    const run: PhaseRun = { name: 'storage', links: [], stop: () => void db.close() };
    return { db, settings, secretBox, cameraRepo, cameraExists, snapshots, run };
  } catch (err) {
    db.close();
    throw err;
  }
}
type Storage = ReturnType<typeof storagePhase>;

export function authPhase({ options: o }: EngineParts, { db, settings }: Storage) {
  // The trail's head is sealed with a key from secret.key and anchored outside watchroom.db (audit-seal.ts).
  const audit = new AuditTrail(db, undefined, AuditSeal.open(o.dataDir));
  audit.prepareSeal();
  const auth = new AuthService({ users: new UsersRepository(db), settings, audit, scrypt: o.scrypt, now: o.authClock });
  // Mask lifts and restores, retention runs and shelf timers are audited here.
  const auditSink: AuditSink = o.auditSink ?? trailAuditSink(audit, (name) => auth.actorNamed(name));
  const run: PhaseRun = { name: 'auth', links: [], stop: () => audit.flush() };
  return { audit, auth, auditSink, run };
}
type Auth = ReturnType<typeof authPhase>;

export function exportPhase({ options: o, log }: EngineParts, { db, secretBox }: Storage, { audit }: Auth) {
  const exporter = new ExportService({ db, secretBox, logger: log, auditHead: () => audit.head(), ...o.exportOptions });
  const run: PhaseRun = { name: 'export', links: [], start: () => exporter.start(), stop: () => exporter.stop() };
  return { exporter, run };
}
type Export = ReturnType<typeof exportPhase>;

export function camerasPhase(parts: EngineParts, { db, settings, cameraRepo, cameraExists }: Storage, { auditSink }: Auth, { exporter }: Export) {
  const { options: o, log, push, frameLatency } = parts;
  const modelsDir = resolveModelsDir({ modelsDir: o.modelsDir, dataDir: o.dataDir });
  const registry = new ModelRegistry({
    dirs: o.nativeModelsDir !== undefined ? manifestDirs(modelsDir, o.nativeModelsDir) : manifestDirs(modelsDir),
    modelsDir,
    defaultId: settings.get<string>(MODEL_SETTINGS.defaultModel) ?? null,
    logger: o.logger.child({ component: 'models' }),
  });
  const runtime: CameraRuntime = (o.cameraRuntimeFactory ?? defaultCameraRuntimeFactory)(o.workerStarter, o.logger.child({ component: 'cameras' }));
  // The worker serves the site default and, beside it, the models the configured cameras ask for.
  const inference = new InferenceHost({
    starter: o.workerStarter,
    registry,
    logger: o.logger,
    dataDir: o.dataDir,
    runtimeSettings: () => inferenceRuntimeSettings(settings),
    refreshMs: o.modelRefreshMs,
    cameraName: (id) => cameraRepo.nameOf(id),
    wantedModels: () => cameraRepo.modelWishes().map((w) => w.modelId),
  });
  const cameraRemoved = new Emitter<[string]>({ name: 'camera removed', log });
  const masksChanged = new Emitter<[CameraMasks]>({ name: 'masks changed', log });
  const rules = new RulesService({
    repository: new SqliteRulesRepository(db),
    cameraExists,
    // Edits apply to the running camera without restarting it (tracks are kept).
    onSaved: (saved) => {
      runtime.setRules(saved.cameraId, saved.rules);
      push.emit('rules:changed', { cameraId: saved.cameraId, rules: saved.rules });
    },
  });
  const masks = new PrivacyMasksService({
    repository: new PrivacyMasksRepository(db),
    audit: auditSink,
    cameraExists,
    onChanged: (m) => {
      masksChanged.emit(m);
      push.emit('masks:changed', m);
    },
  });
  const cameras = new CameraService(cameraRepo, runtime, push, o.logger.child({ component: 'cameras' }), (modelId) => inference.inference(modelId), (id) => rules.get(id).rules, (id) => masks.active(id));
  const models = new ModelsService(registry, inference, settings, () => cameraRepo.modelWishes());
  const layouts = new LayoutsService(db, cameraExists);
  let lastRouting = '';
  const links: Disposable[] = [
    // Mask edits, lifts and restores reach the running camera at once (its ffmpeg restarts with them).
    masksChanged.on(() => cameras.reapply()),
    cameraRemoved.on((id) => {
      rules.forget(id);
      masks.forget(id);
      frameLatency.forget(id);
    }),
    runtime.onFrame((f) => frameLatency.observe(f)),
    // Camera health changes go to the export outbox (camera.status).
    runtime.onState((cameraId, state) => exporter.cameraState(cameraId, state)),
    inference.onChange(() => {
      // New endpoint or model: cameras get new runtime configs (the supervisor restarts changed ones).
      const routing = inference.routingKey();
      if (routing !== lastRouting) {
        lastRouting = routing;
        cameras.reapply();
      }
      push.emit('models:status', models.status());
    }),
  ];
  const run: PhaseRun = {
    name: 'cameras',
    links,
    start: () => {
      masks.start();
      cameras.start();
      if (o.detection ?? true) inference.start();
    },
    stop: async () => {
      masks.stop();
      cameras.stop();
      await runtime.dispose();
      await inference.dispose();
    },
  };
  return { modelsDir, runtime, inference, rules, masks, cameras, models, layouts, cameraRemoved, run };
}
type Cameras = ReturnType<typeof camerasPhase>;

/** Rule events of one analysed frame, written to the ledger. */
export interface LedgerRowsWritten {
  cameraId: string;
  rows: LedgerRow[];
}

export function analyticsPhase({ options: o, log, push }: EngineParts, { db, settings, snapshots }: Storage, { auditSink }: Auth, { exporter }: Export, { runtime }: Cameras) {
  const events = new EventsService(db, push, snapshots, log.child({ component: 'events' }), undefined, exporter.onLedgerRowInTx);
  const ledgerRowsWritten = new Emitter<[LedgerRowsWritten]>({ name: 'ledger rows written', log });
  const retention = new RetentionService({
    db,
    settings,
    snapshotsDir: snapshots.root,
    reportsDir: path.join(o.dataDir, 'reports'),
    audit: auditSink,
    logger: log.child({ component: 'retention' }),
    onRan: (report) => push.emit('retention:ran', report),
    onTracksRetention: (ms) => (events.trackRetentionMs = ms),
    onSnapshotsRemoved: () => snapshots.invalidateSize(),
    ...o.retention,
  });
  const links: Disposable[] = [
    // The camera pipeline's write path: rule events into the ledger (with snapshots), tracks into the track store.
    runtime.onAnalytics((cameraId, r) => {
      if (r.events.length) ledgerRowsWritten.emit({ cameraId, rows: events.recordLive({ cameraId, events: r.events, frameMs: r.frameAt, modelId: r.modelId ?? null, jpeg: r.jpeg }) });
      push.emit('rules:counters', liveCounters(cameraId, r, events.ledger));
    }),
    runtime.onTracks((_cameraId, tracks) => events.recordTracks(tracks)),
  ];
  const run: PhaseRun = {
    name: 'analytics',
    links,
    start: () => retention.start(),
    stop: async () => {
      retention.stop();
      await events.idle();
    },
  };
  return { events, retention, ledgerRowsWritten, run };
}
type Analytics = ReturnType<typeof analyticsPhase>;

export function alarmsPhase({ options: o, log, push }: EngineParts, { db, settings, snapshots, cameraRepo, cameraExists }: Storage, { auditSink }: Auth, { exporter }: Export, { runtime, rules, cameraRemoved }: Cameras, { ledgerRowsWritten }: Analytics) {
  const alarms = new AlarmsService({
    db,
    settings,
    logger: log.child({ component: 'alarms' }),
    rulesOf: (id) => (cameraExists(id) ? rules.get(id).rules : []),
    cameraExists,
    snapshots,
    onChange: (c) => push.emit('alarms:changed', c),
    onArming: (a) => push.emit('alarms:arming', a),
    onShelves: (active) => push.emit('alarms:shelves', active),
    onFlood: (state) => push.emit('alarms:flood', state),
    audit: auditSink,
    now: o.alarms?.now ?? alarmClockFromEnv(),
  });
  // Camera health as alarms: lifecycle (offline) and the frames themselves (frozen, black, low fps).
  const healthDetectors = new HealthDetectors({ frozenAfterS: () => alarms.settings().frozenAfterS, expectedFps: (id) => cameraRepo.get(id)?.analysisFps }, (sig) => alarms.onHealth(sig));
  const links: Disposable[] = [
    ledgerRowsWritten.on(({ cameraId, rows }) => alarms.onLedgerRows(cameraId, rows)),
    runtime.onState((id, st) => healthDetectors.state(id, st)),
    runtime.onFrame((f) => healthDetectors.frame(f)),
    cameraRemoved.on((id) => {
      alarms.forgetCamera(id);
      healthDetectors.forget(id);
    }),
    // Alarm transitions reach the export outbox in the alarm's own transaction.
    { dispose: alarms.store.onTransitionInTx(exporter.onAlarmTransitionInTx) },
    // Site-level system alarms (export backlog per sink, outbox near its cap) from each export maintenance pass,
    // judged before the outbox cap is enforced: the near-cap alarm opens before anything is dropped.
    { dispose: exporter.onHealthFacts((facts) => alarms.judgeSystemHealth(facts)) },
  ];
  const run: PhaseRun = { name: 'alarms', links, start: () => alarms.start(), stop: () => alarms.stop() };
  return { alarms, healthDetectors, run };
}
type Alarms = ReturnType<typeof alarmsPhase>;

export function reportsPhase({ options: o, log, push }: EngineParts, { db, settings, snapshots, cameraRepo }: Storage, { runtime }: Cameras) {
  const cameraName = (id: string): string => cameraRepo.nameOf(id);
  const reports = new ReportsService({ db, settings, dataDir: o.dataDir, logger: log.child({ component: 'reports' }), snapshots, onProgress: (p) => push.emit('reports:progress', p), cameraName });
  // Shift and daily reports list the alarms the officers handled, read from the tables AlarmStore writes.
  reports.setAlarmSource(storedAlarms(db, cameraName));
  const links: Disposable[] = [runtime.onState((id, state) => reports.onCameraState(id, state))];
  const run: PhaseRun = { name: 'reports', links, start: () => reports.start(), stop: () => reports.dispose() };
  return { reports, run };
}
type Reports = ReturnType<typeof reportsPhase>;

/**
 * Recording: one stream-copy recorder ffmpeg per camera beside its worker, indexed in recording_segments
 * (app/engine/recording). Events extend events-mode recordings; lack of space raises a system alarm.
 */
export function recordingPhase({ options: o, log }: EngineParts, { db, settings, cameraRepo }: Storage, { runtime }: Cameras, { alarms }: Alarms) {
  const segments = new SegmentIndex(db, path.join(o.dataDir, 'recordings'));
  const recording = new RecordingService({
    index: segments,
    settings: new RecordingSettingsRepository(db, settings),
    logger: log,
    cameras: () => (o.recording === false ? [] : cameraRepo.list()),
    onSystemHealth: (sig) => alarms.onSystemHealth(sig),
    ...(o.recording || {}),
  });
  const links: Disposable[] = [
    runtime.onAnalytics((cameraId, r) => {
      if (r.events.length) recording.onEvent(cameraId, r.frameAt);
    }),
  ];
  const run: PhaseRun = { name: 'recording', links, start: () => void recording.start(), stop: () => recording.stop() };
  return { recording, segments, run };
}
type Recording = ReturnType<typeof recordingPhase>;

/**
 * Graceful degradation: analysis rates lowered under load and raised again when it falls
 * (motion/analysis-rate-controller.ts); cameras with rules that cannot keep their floor raise a system alarm.
 */
export function analysisRatePhase({ log }: EngineParts, { runtime, inference }: Cameras, { alarms }: Alarms) {
  const rateController = new AnalysisRateController({
    runtime,
    inferenceLoad: () => inference.load(),
    log: log.child({ component: 'analysis-rate' }),
    onStarved: (starved) => alarms.onAnalysisStarved(starved),
  });
  const run: PhaseRun = { name: 'analysis rate', links: [], start: () => rateController.start(), stop: () => rateController.dispose() };
  return { rateController, run };
}

/**
 * The face watchlist: off on every camera until an admin switches it on; the face models open on first use
 * (here for enrolment, in the inference worker for a camera with faces on) and close with the engine (the worker).
 * On cameras with faces on, the live face step looks at person tracks in the frames the cameras send
 * (face-live.ts, through the inference worker); a match opens a `face-match` system
 * alarm in the alarm queue, and match evidence follows the snapshots' retention.
 */
export function facesPhase({ options: o, log }: EngineParts, { db, secretBox }: Storage, { auditSink }: Auth, { modelsDir, runtime, cameraRemoved, inference }: Cameras, { retention }: Analytics, { alarms }: Alarms) {
  const faceModels = () => findFaceModels(o.nativeModelsDir !== undefined ? manifestDirs(modelsDir, o.nativeModelsDir) : manifestDirs(modelsDir));
  // Enrolment from photos opens the face models here (rare, and it works with detection off); live looks run in
  // the inference worker with the same FaceAnalyzer (face-look.ts).
  let analyzer: Promise<FaceAnalyzer> | null = null;
  /** Analyzers replaced by reopenFaceModels: a face step may still be running on them, so they close with the engine. */
  const replaced: Promise<FaceAnalyzer>[] = [];
  /** A face detector was imported or removed: the next use opens the models again (findFaceModels picks it). */
  const reopenFaceModels = (): Promise<void> => {
    if (analyzer) replaced.push(analyzer);
    analyzer = null;
    return Promise.resolve();
  };
  const faceAnalyzer = (): Promise<FaceAnalyzer> => {
    analyzer ??= FaceAnalyzer.create(faceModels()).catch((e: unknown) => {
      analyzer = null;
      throw e;
    });
    return analyzer;
  };
  const faces = new WatchlistService({ db, box: secretBox, audit: auditSink, analyzer: faceAnalyzer });
  const faceLog = log.child({ component: 'faces' });
  const watch = new FaceWatch({
    faces,
    look: (look) => inference.faceLook({ ...look, models: faceModels() }),
    onMatch: openFaceMatchAlarm(alarms.store, faces, faceLog),
  });
  const faceStep = new LiveFaceStep({ watch, cameraEnabled: (id) => faces.cameraEnabled(id), log: faceLog });
  const links: Disposable[] = [
    runtime.onFrame((f) => faceStep.frame(f)),
    cameraRemoved.on((id) => watch.forget(id)),
    retention.purgeFaceMatchesWith((before) => faces.purgeMatches(before)),
  ];
  const run: PhaseRun = {
    name: 'faces',
    links,
    stop: async () => {
      for (const a of [...replaced, ...(analyzer ? [analyzer] : [])]) await (await a.catch(() => null))?.dispose();
    },
  };
  return { faces, faceAnalyzer, faceStep, reopenFaceModels, run };
}

/** Playback and evidence export over the recorded segments; exports land in the report folders. */
export function evidencePhase({ options: o, log, push }: EngineParts, { db }: Storage, { audit, auth }: Auth, { masks }: Cameras, { reports }: Reports, { segments }: Recording) {
  const evidence = new EvidenceService({
    db,
    dataDir: o.dataDir,
    segments: o.recordedSegments ?? segments,
    audit,
    actorNamed: (name) => auth.actorNamed(name),
    folders: reports.folders,
    activeMasks: (id) => masks.active(id),
    onProgress: (p) => push.emit('evidence:progress', p),
    logger: log.child({ component: 'evidence' }),
  });
  const run: PhaseRun = { name: 'evidence', links: [], start: () => evidence.start(), stop: () => evidence.stop() };
  return { evidence, run };
}

export function integrationsPhase({ log }: EngineParts, { db, settings, cameraExists }: Storage, { alarms }: Alarms) {
  // Alarms from other systems (HTTP API, MQTT) open through the same alarm store (app/engine/alarms/inbound-alarms.ts).
  const integrations = new IntegrationsService({ db, settings, inbound: new InboundAlarms({ db, store: alarms.store, cameraExists }), logger: log });
  const run: PhaseRun = { name: 'integrations', links: [], start: () => integrations.start(), stop: () => integrations.stop() };
  return { integrations, run };
}
type Integrations = ReturnType<typeof integrationsPhase>;

export function healthPhase({ options: o, log, push }: EngineParts, { db }: Storage, { runtime, inference }: Cameras, { exporter }: Export, { integrations }: Integrations) {
  const host = o.hostKind === 'electron' ? 'Electron main process' : 'Headless host';
  const health = new HealthService(db, runtime, push, log, o.healthIntervalMs, host, () => [...inference.health(), ...exporter.health(), ...integrations.health()]);
  // Health is pushed only while someone listens.
  const links: Disposable[] = [push.onCountChange((n) => health.setListeners(n))];
  const run: PhaseRun = { name: 'health', links, start: () => health.setListeners(push.listenerCount), stop: () => health.stop() };
  return { health, run };
}
