import os from 'node:os';
import type { LiveFrame } from '../../shared/domain/detection';
import type { InvokeHandlers } from '../../shared/ipc/contracts';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { CameraRuntime } from '../camera/camera-runtime';
import { AnalysisRateController } from '../motion/analysis-rate-controller';
import { CameraSupervisor } from '../camera/camera-supervisor';
import { InferenceHost } from '../inference/inference-host';
import type { Logger } from '../logging/logger';
import { manifestDirs, resolveModelsDir } from '../models/models-dir';
import { ModelRegistry } from '../models/model-registry';
import type { Disposable, WorkerStarter } from '../process/worker-starter';
import { CameraRepository } from '../storage/camera.repository';
import { openDatabase, type Db } from '../storage/database';
import type { SecretBox } from '../storage/secret-box';
import { keyFileSecretBox } from '../storage/key-file-secret-box';
import { createAccessControl } from '../auth/access-control';
import { AuditTrail } from '../auth/audit-trail';
import { AuthService } from '../auth/auth.service';
import type { ScryptParams } from '../auth/password-hash';
import { UsersRepository } from '../auth/users.repository';
import type { Actor } from '../../shared/domain/user';
import { SettingsRepository } from '../storage/settings.repository';
import { SqliteRulesRepository } from '../storage/rules.repository';
import { RulesService } from './rules.service';
import { liveCounters } from './live-counters';
import { SnapshotStore } from '../ledger/snapshot-store';
import { CameraService } from './camera.service';
import { EventsService } from './events.service';
import { createDispatcher, type Dispatch } from './dispatcher';
import { HealthService } from './health.service';
import { inferenceRuntimeSettings, MODEL_SETTINGS, ModelsService } from './models.service';
import { PushBus, type PushListener } from './push-bus';
import path from 'node:path';
import { actorName } from '../../shared/domain/user';
import { trailAuditSink, type AuditSink } from '../audit/audit-sink';
import { AuditSeal } from '../audit/audit-seal';
import { PrivacyMasksRepository } from '../privacy/privacy-masks.repository';
import { PrivacyMasksService } from '../privacy/privacy-masks.service';
import { RetentionService, type RetentionServiceOptions } from '../retention/retention.service';
import { ReportsService } from '../reports/reports.service';
import { HealthDetectors } from '../alarms/health-detectors';
import { AlarmsService } from './alarms.service';
import { alarmClockFromEnv } from '../alarms/alarm-clock';
import { storedAlarms } from '../reports/shift-sources';
import { LayoutsService } from './layouts.service';
import { ExportService, type ExportServiceOptions } from '../export/export.service';
import { InboundAlarms } from '../alarms/inbound-alarms';
import { IntegrationsService } from '../integrations/integrations.service';
import { FrameLatency } from '../http-api/frame-latency';

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
}

/** One camera worker process per enabled camera. */
export const defaultCameraRuntimeFactory: CameraRuntimeFactory = (starter, logger) => new CameraSupervisor({ starter, logger });

type EngineState =
  | { type: 'created' }
  | { type: 'running'; db: Db; services: Services; subs: Disposable[] }
  | { type: 'disposing'; done: Promise<void> }
  | { type: 'disposed' };

interface Services {
  runtime: CameraRuntime;
  cameras: CameraService;
  health: HealthService;
  models: ModelsService;
  settings: SettingsRepository;
  events: EventsService;
  inference: InferenceHost;
  rules: RulesService;
  masks: PrivacyMasksService;
  retention: RetentionService;
  reports: ReportsService;
  alarms: AlarmsService;
  layouts: LayoutsService;
  healthDetectors: HealthDetectors;
  exporter: ExportService;
  auth: AuthService;
  audit: AuditTrail;
  integrations: IntegrationsService;
}

/**
 * The engine, host-agnostic: storage + services + camera runtime behind the IPC contract. Both hosts build
 * one, call start(), route requests through `dispatch`, forward `onPush` events and frames, and dispose() it.
 */
export class WatchroomEngine {
  private state: EngineState = { type: 'created' };
  private readonly push: PushBus;
  private readonly log: Logger;
  readonly handlers: InvokeHandlers;
  readonly dispatch: Dispatch;
  /** Per-camera latency histograms from every analysed frame (the API's /metrics). */
  readonly frameLatency = new FrameLatency();

  constructor(private readonly options: EngineOptions) {
    this.log = options.logger.child({ component: 'engine' });
    this.push = new PushBus(this.log);
    this.handlers = this.buildHandlers();
    const access = createAccessControl(() => this.running().auth, () => this.running().audit);
    this.dispatch = createDispatcher({ handlers: this.handlers, logger: options.logger, validateOutputs: options.validateOutputs, access });
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  /** Opens the database (migrating it), builds the services and starts the enabled cameras. */
  start(): void {
    if (this.state.type !== 'created') throw new Error(`engine cannot start from state ${this.state.type}`);
    const o = this.options;
    const db = openDatabase({ dataDir: o.dataDir, logger: this.log });
    try {
      const settings = new SettingsRepository(db);
      const modelsDir = resolveModelsDir({ modelsDir: o.modelsDir, dataDir: o.dataDir });
      const registry = new ModelRegistry({
        dirs: o.nativeModelsDir !== undefined ? manifestDirs(modelsDir, o.nativeModelsDir) : manifestDirs(modelsDir),
        modelsDir,
        defaultId: settings.get<string>(MODEL_SETTINGS.defaultModel) ?? null,
        logger: o.logger.child({ component: 'models' }),
      });
      const runtime = (o.cameraRuntimeFactory ?? defaultCameraRuntimeFactory)(o.workerStarter, o.logger.child({ component: 'cameras' }));
      let cameras: CameraService | null = null;
      let integrations: IntegrationsService | null = null;
      const inference = new InferenceHost({
        starter: o.workerStarter,
        registry,
        logger: o.logger,
        dataDir: o.dataDir,
        runtimeSettings: () => inferenceRuntimeSettings(settings),
        refreshMs: o.modelRefreshMs,
        cameraName: (id) => cameras?.nameOf(id) ?? id,
        wantedModels: () => cameras?.modelWishes().map((w) => w.modelId) ?? [],
      });
      // The worker serves the site default and, beside it, the models cameras ask for (inference(modelId)).
      const secretBox = o.secretBox ?? keyFileSecretBox(o.dataDir);
      const cameraRepo = new CameraRepository(db, secretBox);
      const resealed = cameraRepo.resealAll();
      if (resealed) this.log.info('camera credentials sealed at rest', { cameras: resealed });
      // The trail's head is sealed with a key from secret.key and anchored outside watchroom.db (audit-seal.ts).
      const audit = new AuditTrail(db, undefined, AuditSeal.open(o.dataDir));
      audit.prepareSeal();
      const auth = new AuthService({ users: new UsersRepository(db), settings, audit, scrypt: o.scrypt, now: o.authClock });
      const rules = new RulesService({
        repository: new SqliteRulesRepository(db),
        cameraExists: (id) => cameraRepo.get(id) !== undefined,
        // Edits apply to the running camera without restarting it (tracks are kept).
        onSaved: (saved) => {
          runtime.setRules(saved.cameraId, saved.rules);
          this.push.emit('rules:changed', { cameraId: saved.cameraId, rules: saved.rules });
        },
      });
      const auditSink = o.auditSink ?? trailAuditSink(audit, (name) => auth.actorNamed(name));
      const masks = new PrivacyMasksService({
        repository: new PrivacyMasksRepository(db),
        audit: auditSink,
        cameraExists: (id) => cameraRepo.get(id) !== undefined,
        // Mask edits, lifts and restores reach the running camera at once (its ffmpeg restarts with them).
        onChanged: (m) => {
          cameras?.reapply();
          this.push.emit('masks:changed', m);
        },
      });
      masks.start();
      cameras = new CameraService(cameraRepo, runtime, this.push, o.logger.child({ component: 'cameras' }), (modelId) => inference.inference(modelId), (id) => rules.get(id).rules, (id) => masks.active(id));
      const cams = cameras;
      const exporter = new ExportService({ db, secretBox, logger: this.log, auditHead: () => audit.head(), ...o.exportOptions });
      const health = new HealthService(db, runtime, this.push, this.log, o.healthIntervalMs, o.hostKind === 'electron' ? 'Electron main process' : 'Headless host', () => [...inference.health(), ...exporter.health(), ...(integrations?.health() ?? [])]);
      const models = new ModelsService(registry, inference, settings, () => cams.modelWishes());
      const snapshots = new SnapshotStore({ dataDir: o.dataDir, logger: this.log.child({ component: 'snapshots' }) });
      const events = new EventsService(db, this.push, snapshots, this.log.child({ component: 'events' }), undefined, exporter.onLedgerRowInTx);
      const retention = new RetentionService({
        db,
        settings,
        snapshotsDir: snapshots.root,
        reportsDir: path.join(o.dataDir, 'reports'),
        audit: auditSink,
        logger: this.log.child({ component: 'retention' }),
        onRan: (report) => this.push.emit('retention:ran', report),
        onTracksRetention: (ms) => (events.trackRetentionMs = ms),
        onSnapshotsRemoved: () => snapshots.invalidateSize(),
        ...o.retention,
      });
      const reports = new ReportsService({ db, settings, dataDir: o.dataDir, logger: this.log.child({ component: 'reports' }), snapshots, onProgress: (p) => this.push.emit('reports:progress', p), cameraName: (id) => cams.nameOf(id) });
      const cameraExists = (id: string) => cameraRepo.get(id) !== undefined;
      const alarms = new AlarmsService({
        db,
        settings,
        logger: this.log.child({ component: 'alarms' }),
        rulesOf: (id) => (cameraExists(id) ? rules.get(id).rules : []),
        cameraExists,
        snapshots,
        onChange: (c) => this.push.emit('alarms:changed', c),
        onArming: (a) => this.push.emit('alarms:arming', a),
        onShelves: (active) => this.push.emit('alarms:shelves', active),
        onFlood: (state) => this.push.emit('alarms:flood', state),
        audit: auditSink,
        now: o.alarms?.now ?? alarmClockFromEnv(),
      });
      const layouts = new LayoutsService(db, cameraExists);
      // Shift and daily reports list the alarms (issue 5) from the alarm tables AlarmStore writes.
      reports.setAlarmSource(storedAlarms(db, (id) => cams.nameOf(id)));
      const healthDetectors = new HealthDetectors({ frozenAfterS: () => alarms.settings().frozenAfterS, expectedFps: (id) => cameraRepo.get(id)?.analysisFps }, (sig) => alarms.onHealth(sig));
      // Alarms from other systems (HTTP API, MQTT) open through the same alarm store (app/engine/alarms/inbound-alarms.ts).
      integrations = new IntegrationsService({ db, settings, inbound: new InboundAlarms({ db, store: alarms.store, cameraExists }), logger: this.log });
      const services: Services = { runtime, cameras, health, models, settings, inference, events, rules, masks, retention, reports, alarms, layouts, healthDetectors, exporter, auth, audit, integrations };
      let lastInference = '';
      const rateController = new AnalysisRateController({
        runtime,
        inferenceLoad: () => inference.load(),
        log: this.log.child({ component: 'analysis-rate' }),
        onStarved: (starved) => alarms.onAnalysisStarved(starved),
      });
      const subs = [
        this.push.onCountChange((n) => health.setListeners(n)),
        // The camera pipeline's write path: rule events into the ledger (with snapshots), tracks into the track store.
        runtime.onAnalytics((cameraId, r) => {
          if (r.events.length) alarms.onLedgerRows(cameraId, events.recordLive({ cameraId, events: r.events, frameMs: r.frameAt, modelId: r.modelId ?? null, jpeg: r.jpeg }));
          this.push.emit('rules:counters', liveCounters(cameraId, r, events.ledger));
        }),
        runtime.onTracks((_cameraId, tracks) => events.recordTracks(tracks)),
        runtime.onState((id, state) => reports.onCameraState(id, state)),
        // Camera health as alarms: lifecycle (offline) and the frames themselves (frozen, black, low fps).
        runtime.onState((id, st) => healthDetectors.state(id, st)),
        runtime.onFrame((f) => healthDetectors.frame(f)),
        runtime.onFrame((f) => this.frameLatency.observe(f)),
        // Camera health changes go to the export outbox (camera.status).
        runtime.onState((cameraId, state) => exporter.cameraState(cameraId, state)),
        // Alarm transitions reach the export outbox in the alarm's own transaction.
        { dispose: alarms.store.onTransitionInTx(exporter.onAlarmTransitionInTx) },
        // Site-level system alarms (export backlog per sink, outbox near its cap) from each export maintenance pass,
        // judged before the outbox cap is enforced: the near-cap alarm opens before anything is dropped.
        { dispose: exporter.onHealthFacts((facts) => alarms.judgeSystemHealth(facts)) },
        // Graceful degradation: analysis rates lowered under load and raised again when it falls (motion/analysis-rate-controller.ts).
        rateController,
        inference.onChange(() => {
          // New endpoint or model: cameras get new runtime configs (the supervisor restarts changed ones).
          const now = inference.routingKey();
          if (now !== lastInference) {
            lastInference = now;
            cams.reapply();
          }
          this.push.emit('models:status', models.status());
        }),
      ];
      this.state = { type: 'running', db, services, subs };
      health.setListeners(this.push.listenerCount);
      cameras.start();
      rateController.start();
      retention.start();
      reports.start();
      alarms.start();
      exporter.start();
      integrations.start();
      if (o.detection ?? true) inference.start();
      this.log.info('engine started', { dataDir: o.dataDir, modelsDir, host: o.hostKind, version: o.version });
    } catch (err) {
      db.close();
      this.state = { type: 'disposed' };
      throw err;
    }
  }

  /** Push events (every contract push channel). Returns a Disposable. */
  onPush(listener: PushListener): Disposable {
    return this.push.on(listener);
  }

  /** Live frames of one camera; returns the unsubscribe function. */
  subscribeFrames(cameraId: string, listener: (frame: LiveFrame) => void): () => void {
    return this.running().cameras.subscribeFrames(cameraId, listener);
  }

  /** Stops every camera worker, closes the database. Idempotent; resolves when all is released. */
  async dispose(): Promise<void> {
    const s = this.state;
    if (s.type === 'disposed') return;
    if (s.type === 'disposing') return s.done;
    if (s.type === 'created') {
      this.state = { type: 'disposed' };
      return;
    }
    const done = (async () => {
      s.subs.forEach((d) => d.dispose());
      s.services.integrations.stop();
      s.services.masks.stop();
      s.services.retention.stop();
      s.services.health.stop();
      s.services.alarms.stop();
      s.services.cameras.stop();
      try {
        await s.services.runtime.dispose();
      } catch (err) {
        this.log.error('camera runtime dispose failed', { err });
      }
      await s.services.inference.dispose().catch((err: unknown) => this.log.error('inference dispose failed', { err }));
      await s.services.reports.dispose().catch((err: unknown) => this.log.error('reports dispose failed', { err }));
      await s.services.events.idle();
      await s.services.exporter.stop().catch((err: unknown) => this.log.error('export stop failed', { err }));
      s.services.audit.flush();
      s.db.close();
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
    if (this.state.type !== 'running') throw new AppErrorException('unavailable', 'The engine is not running.');
    return this.state.services;
  }

  /** Runs an admin-only action (anyone may act while accounts are not in place: no signed-in user). */
  /** A camera's model wish may have changed: models:status says which cameras cannot have their own model. */
  private camerasChanged<T>(value: T): T {
    this.push.emit('models:status', this.running().models.status());
    return value;
  }

  private buildHandlers(): InvokeHandlers {
    const o = this.options;
    return {
      'app:info': () => ({ host: o.hostKind, version: o.version, dataDir: o.dataDir, platform: `${os.platform()}-${os.arch()}` }),
      'cameras:list': () => this.running().cameras.list(),
      'cameras:add': (input) => this.camerasChanged(this.running().cameras.add(input)),
      'cameras:update': ({ id, patch }) => this.camerasChanged(this.running().cameras.update(id, patch)),
      'cameras:remove': ({ id }) => {
        const removed = this.running().cameras.remove(id);
        this.running().rules.forget(id);
        this.running().masks.forget(id);
        this.running().alarms.forgetCamera(id);
        this.running().healthDetectors.forget(id);
        this.frameLatency.forget(id);
        return this.camerasChanged(removed);
      },
      'cameras:set-enabled': ({ id, enabled }) => this.camerasChanged(this.running().cameras.setEnabled(id, enabled)),
      'health:get': () => this.running().health.report(),
      'models:list': () => this.running().models.list(),
      'models:set-default': ({ id }) => this.running().models.setDefault(id),
      'models:status': () => this.running().models.status(),
      'events:list': (input) => this.running().events.list(input),
      'events:review': (input) => this.running().events.review(input),
      'events:void': (input, ctx) => this.running().events.void(input, actorName(ctx.user)),
      'events:correct': (input, ctx) => this.running().events.correct(input, actorName(ctx.user)),
      'counts:totals': (input) => this.running().events.totals(input),
      'rules:dry-run': (input) => this.running().events.dryRun(input),
      'rules:get': ({ cameraId }) => this.running().rules.get(cameraId),
      'rules:save': ({ cameraId, rules }) => this.running().rules.save(cameraId, rules),
      'masks:get': ({ cameraId }) => this.running().masks.get(cameraId),
      'masks:save': ({ cameraId, masks }, ctx) => this.running().masks.save(cameraId, masks, actorName(ctx.user)),
      'masks:lift': (input, ctx) => this.running().masks.lift(input, actorName(ctx.user)),
      'masks:restore': ({ cameraId, maskId }, ctx) => this.running().masks.restore(cameraId, maskId, actorName(ctx.user)),
      'retention:get': () => this.running().retention.status(),
      'retention:set': ({ policy }, ctx) => this.running().retention.setPolicy(policy, actorName(ctx.user)),
      'retention:run': (_input, ctx) => this.running().retention.run('manual', actorName(ctx.user)),
      'reports:build': (input, ctx) => this.running().reports.build(input, actorName(ctx.user)),
      'reports:export': (input, ctx) => this.running().reports.startExport(input, actorName(ctx.user)),
      'reports:cancel-export': ({ exportId }) => ({ cancelled: this.running().reports.cancelExport(exportId) }),
      'reports:book-add': ({ text }, ctx) => this.running().reports.addEntry(text, actorName(ctx.user)),
      'reports:book-list': ({ from, to }) => this.running().reports.entries(from, to),
      'reports:shift-current': () => this.running().reports.currentShift(),
      'reports:shift-sign-off': ({ from, to, note }, ctx) => this.running().reports.signOff(from, to, note, actorName(ctx.user)),
      'reports:schedules': () => this.running().reports.scheduler.list(),
      'reports:schedule-save': (input) => this.running().reports.scheduler.save(input),
      'reports:schedule-remove': ({ id }) => ({ removed: this.running().reports.scheduler.remove(id) }),
      'reports:folders': () => this.running().reports.folders.view(),
      'reports:folders-set': ({ folders }) => this.running().reports.folders.set(folders),
      'alarms:list': (input) => this.running().alarms.list(input),
      'alarms:get': ({ id }) => this.running().alarms.get(id),
      'alarms:acknowledge': ({ id }, ctx) => this.running().alarms.acknowledge(id, actorName(ctx.user)),
      'alarms:hold': ({ id, comment }, ctx) => this.running().alarms.hold(id, actorName(ctx.user), comment),
      'alarms:resume': ({ id }, ctx) => this.running().alarms.resume(id, actorName(ctx.user)),
      'alarms:close': (input, ctx) => this.running().alarms.close(input, actorName(ctx.user)),
      'alarms:snapshot': ({ ref }) => this.running().alarms.snapshot(ref),
      'alarms:rule-stats': ({ cameraId }) => this.running().alarms.store.ruleStats(cameraId),
      'alarms:arming': () => this.running().alarms.arming(),
      'alarms:arm': (input, ctx) => this.running().alarms.arm(input, actorName(ctx.user)),
      'alarms:disarm': (input, ctx) => this.running().alarms.disarm(input, actorName(ctx.user)),
      'alarms:set-switch': (input, ctx) => this.running().alarms.setSwitch(input, actorName(ctx.user)),
      'alarms:shelve': (input, ctx) => this.running().alarms.shelve(input, actorName(ctx.user)),
      'alarms:unshelve': (input, ctx) => this.running().alarms.unshelve(input, actorName(ctx.user)),
      'alarms:shelves': (input) => this.running().alarms.listShelves(input),
      'alarms:flood': () => this.running().alarms.flood.state(),
      'alarms:settings-get': () => this.running().alarms.settings(),
      'alarms:settings-set': (input) => this.running().alarms.setSettings(input),
      'site:settings-get': () => this.running().alarms.siteSettings(),
      'site:settings-set': (input) => this.running().alarms.setSiteSettings(input),
      'layouts:list': (_input, ctx) => this.running().layouts.list(actorName(ctx.user)),
      'layouts:save': ({ name, body, makeCurrent }, ctx) => this.running().layouts.save(actorName(ctx.user), name, body, makeCurrent),
      'layouts:delete': ({ id }, ctx) => ({ deleted: this.running().layouts.delete(actorName(ctx.user), id) }),
      'layouts:set-current': ({ id }, ctx) => this.running().layouts.setCurrent(actorName(ctx.user), id),
      'layouts:current': (_input, ctx) => this.running().layouts.current(actorName(ctx.user)),
      'export:list': () => ({ sinks: this.running().exporter.list(), outbox: this.running().exporter.outbox.status() }),
      'export:save': (input) => this.running().exporter.save(input),
      'export:remove': ({ id }) => this.running().exporter.remove(id),
      'export:test': ({ id }) => this.running().exporter.test(id),
      'export:dead-letters': ({ sinkId, limit }) => this.running().exporter.deadLetters(sinkId, limit),
      'export:retry-dead-letters': ({ sinkId, eventIds }) => this.running().exporter.retryDeadLetters(sinkId, eventIds),
      'export:replay': ({ sinkId, from }) => this.running().exporter.replay(sinkId, from),
      'auth:status': (_i, ctx) => this.running().auth.status(ctx.peer),
      'auth:setup': ({ name, password }, ctx) => this.running().auth.setup(ctx.peer, name, password),
      'auth:login': ({ name, password, device }, ctx) => this.running().auth.login(ctx.peer, name, password, device),
      'auth:resume': ({ session }, ctx) => this.running().auth.resume(ctx.peer, session),
      'auth:logout': (_i, ctx) => (this.running().auth.logout(ctx.peer), { ok: true as const }),
      'auth:lock': (_i, ctx) => (this.running().auth.lock(ctx.peer), { ok: true as const }),
      'auth:unlock': ({ password }, ctx) => this.running().auth.unlock(ctx.peer, password),
      'auth:elevate': ({ channel, password, approver }, ctx) => this.running().auth.elevate(ctx.peer, channel, password, approver),
      'auth:change-password': async ({ current, next }, ctx) => {
        if (!ctx.user) throw new AppErrorException('forbidden', 'Sign in first.');
        await this.running().auth.changePassword(ctx.peer, ctx.user, current, next);
        return { ok: true as const };
      },
      'auth:policy': () => this.running().auth.policy(),
      'auth:set-policy': (input) => this.running().auth.setPolicy(input),
      'users:list': () => this.running().auth.listUsers(),
      'users:create': ({ name, role, password }) => this.running().auth.createUser(name, role, password),
      'users:update': ({ id, ...patch }, ctx) => this.running().auth.updateUser(ctx.user, id, patch),
      'audit:list': (input) => this.running().audit.list(input),
      'audit:verify': () => this.running().audit.verify(),
      'integrations:tokens': () => this.running().integrations.tokens.list(),
      'integrations:token-create': ({ name, role, days }, ctx) => this.running().integrations.createToken(name, role, days, actorName(ctx.user)),
      'integrations:token-revoke': ({ id }, ctx) => this.running().integrations.tokens.revoke(id, actorName(ctx.user)),
      'integrations:settings-get': () => this.running().integrations.settings(),
      'integrations:settings-set': (input) => this.running().integrations.setSettings(input),
      'integrations:raise-alarm': (input, ctx) => this.running().integrations.raiseAlarm(input, actorName(ctx.user)),
    };
  }
}
