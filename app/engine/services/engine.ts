import os from 'node:os';
import type { LiveFrame } from '../../shared/domain/detection';
import type { InvokeHandlers } from '../../shared/ipc/contracts';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { CameraRuntime } from '../camera/camera-runtime';
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
  auth: AuthService;
  audit: AuditTrail;
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
      const inference = new InferenceHost({
        starter: o.workerStarter,
        registry,
        logger: o.logger,
        dataDir: o.dataDir,
        runtimeSettings: () => inferenceRuntimeSettings(settings),
        refreshMs: o.modelRefreshMs,
        cameraName: (id) => cameras?.nameOf(id) ?? id,
      });
      // The worker serves one model: every camera gets it (ModelsService.status says so when one asked for another).
      const cameraRepo = new CameraRepository(db, o.secretBox ?? keyFileSecretBox(o.dataDir));
      const resealed = cameraRepo.resealAll();
      if (resealed) this.log.info('camera credentials sealed at rest', { cameras: resealed });
      const audit = new AuditTrail(db);
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
      cameras = new CameraService(cameraRepo, runtime, this.push, o.logger.child({ component: 'cameras' }), () => inference.inference(), (id) => rules.get(id).rules);
      const cams = cameras;
      const health = new HealthService(db, runtime, this.push, this.log, o.healthIntervalMs, o.hostKind === 'electron' ? 'Electron main process' : 'Headless host', () => inference.health());
      const models = new ModelsService(registry, inference, settings, () => cams.modelWishes());
      const snapshots = new SnapshotStore({ dataDir: o.dataDir, logger: this.log.child({ component: 'snapshots' }) });
      const events = new EventsService(db, this.push, snapshots, this.log.child({ component: 'events' }));
      const services: Services = { runtime, cameras, health, models, settings, inference, events, rules, auth, audit };
      let lastInference = '';
      const subs = [
        this.push.onCountChange((n) => health.setListeners(n)),
        // The camera pipeline's write path: rule events into the ledger (with snapshots), tracks into the track store.
        runtime.onAnalytics((cameraId, r) => {
          if (r.events.length) events.recordLive({ cameraId, events: r.events, frameMs: r.frameAt, modelId: r.modelId ?? null, jpeg: r.jpeg });
          this.push.emit('rules:counters', liveCounters(cameraId, r, events.ledger));
        }),
        runtime.onTracks((_cameraId, tracks) => events.recordTracks(tracks)),
        inference.onChange(() => {
          // New endpoint or model: cameras get new runtime configs (the supervisor restarts changed ones).
          const now = JSON.stringify(inference.inference() ?? null);
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
      s.services.health.stop();
      s.services.cameras.stop();
      try {
        await s.services.runtime.dispose();
      } catch (err) {
        this.log.error('camera runtime dispose failed', { err });
      }
      await s.services.inference.dispose().catch((err: unknown) => this.log.error('inference dispose failed', { err }));
      await s.services.events.idle();
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

  /** The audit trail: `engine.audit.record({ actor, action, target, detail })` for changes nobody invoked (see audit-trail.ts). */
  get audit(): AuditTrail {
    return this.running().audit;
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
        return this.camerasChanged(removed);
      },
      'cameras:set-enabled': ({ id, enabled }) => this.camerasChanged(this.running().cameras.setEnabled(id, enabled)),
      'health:get': () => this.running().health.report(),
      'models:list': () => this.running().models.list(),
      'models:set-default': ({ id }) => this.running().models.setDefault(id),
      'models:status': () => this.running().models.status(),
      'events:list': (input) => this.running().events.list(input),
      'events:void': (input) => this.running().events.void(input),
      'events:correct': (input) => this.running().events.correct(input),
      'counts:totals': (input) => this.running().events.totals(input),
      'rules:dry-run': (input) => this.running().events.dryRun(input),
      'rules:get': ({ cameraId }) => this.running().rules.get(cameraId),
      'rules:save': ({ cameraId, rules }) => this.running().rules.save(cameraId, rules),
      'auth:status': (_i, ctx) => this.running().auth.status(ctx.peer),
      'auth:setup': ({ name, password }, ctx) => this.running().auth.setup(ctx.peer, name, password),
      'auth:login': ({ name, password }, ctx) => this.running().auth.login(ctx.peer, name, password),
      'auth:resume': ({ session }, ctx) => this.running().auth.resume(ctx.peer, session),
      'auth:logout': (_i, ctx) => (this.running().auth.logout(ctx.peer), { ok: true as const }),
      'auth:lock': (_i, ctx) => (this.running().auth.lock(ctx.peer), { ok: true as const }),
      'auth:unlock': ({ password }, ctx) => this.running().auth.unlock(ctx.peer, password),
      'auth:elevate': ({ channel, password, approver }, ctx) => this.running().auth.elevate(ctx.peer, channel, password, approver),
      'auth:change-password': async ({ current, next }, ctx) => {
        if (!ctx.user) throw new AppErrorException('forbidden', 'Sign in first.');
        await this.running().auth.changePassword(ctx.user, current, next);
        return { ok: true as const };
      },
      'auth:policy': () => this.running().auth.policy(),
      'auth:set-policy': (input) => this.running().auth.setPolicy(input),
      'users:list': () => this.running().auth.listUsers(),
      'users:create': ({ name, role, password }) => this.running().auth.createUser(name, role, password),
      'users:update': ({ id, ...patch }, ctx) => this.running().auth.updateUser(ctx.user, id, patch),
      'audit:list': (input) => this.running().audit.list(input),
      'audit:verify': () => this.running().audit.verify(),
    };
  }
}
