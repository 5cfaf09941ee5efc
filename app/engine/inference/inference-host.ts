import fs from 'node:fs';
import { Emitter } from '../../shared/events/emitter';
import path from 'node:path';
import type { ModelManifest } from '../../shared/domain/model';
import type { ComponentHealth } from '../../shared/domain/health';
import type { DetectionStatus } from '../../shared/ipc/models.contract';
import { createBackoff, type Backoff } from '../camera/backoff';
import type { Logger } from '../logging/logger';
import type { ModelEntry, ModelRegistry } from '../models/model-registry';
import type { Disposable, WorkerExit, WorkerHandle, WorkerStarter } from '../process/worker-starter';
import type { ModelInputSpec } from './inference-api';
import { ExtraModels } from './extra-models';
import { FaceLookCalls } from './face-look-calls';
import type { FaceLookReply, FaceLookRequest } from '../faces/face-look';
import { inferenceHealth, isFallbackModel, runningMessage } from './inference-host-report';
import { providerList, removeStaleSockets, runDirEndpoint, type ExecutionProviderSetting } from './inference-run-dir';
import type { FromInferenceWorker, InferenceWorkerStats, ToInferenceWorker } from './inference-worker-protocol';
import { modelInputSpec } from './model-input-filter';

/**
 * Owns the shared inference worker (dist/node/inference-worker.cjs) through the engine's WorkerStarter: an
 * Electron utility process in the app, a child process in the headless host and tests.
 *
 * Lifecycle (`InferenceHostState`):
 *   off(reason)             --start()/refresh() finds an installed model-->  starting(model)
 *   starting(model)         --ready with the model loaded-->                 running(model, endpoint, ep)
 *   starting(model)         --the model does not load: next candidate; none left (worker stopped)--> off(reason)
 *   starting | running      --worker exits unasked, or no `ready` in time--> restarting(attempt, retryAt, reason)
 *   restarting              --backoff (1 s doubling to 60 s) elapsed-->      starting(best model now)
 *   running(model)          --reload(): new model loads-->                   running(new model)
 *   running(model)          --reload(): new model fails-->                   running(model) + lastError
 *   any                     --dispose()-->                                   disposed
 * Every change of state, model, endpoint or error is announced through onChange (the engine then re-applies
 * camera configs and pushes models:status).
 *
 * Per-camera models: the running model above is the primary (the site default, else the best installed). Models
 * that cameras ask for (`wantedModels`) are loaded beside it in the same worker (ExtraModels, extra-models.ts); a camera whose
 * model is loaded gets that model's endpoint and input spec from `inference(modelId)`, otherwise the primary's
 * (and models:status says why). Extras are re-sent after every (re)start and checked with the model files.
 * Face looks (faceLook) go to the running worker and come back through FaceLookCalls; a look sent while the
 * worker is not running, or in flight when it stops, ends `skipped` (the face step tries again on a later frame).
 * Messages to and from the worker: inference-worker-protocol.ts.
 */
export type InferenceHostState =
  | { type: 'off'; reason: string }
  | { type: 'starting'; model: ModelManifest }
  | { type: 'running'; model: ModelManifest; endpoint: string; executionProvider: string; since: number }
  | { type: 'restarting'; attempt: number; retryAt: number; reason: string }
  | { type: 'disposed' };

export interface InferenceHostOptions {
  starter: WorkerStarter;
  registry: ModelRegistry;
  logger: Logger;
  /** Data dir: the worker's socket goes to <dataDir>/run/ (when the path fits the socket limit). */
  dataDir: string;
  /** Execution provider and intra-op threads, read at every (re)start of the worker (settings). */
  runtimeSettings: () => { executionProvider: ExecutionProviderSetting; threads: number };
  /** Worker bundle name (default inference-worker.cjs). */
  entry?: string;
  /** No `ready` within this many ms counts as a crash (default 60 000). */
  readyTimeoutMs?: number;
  /** Period of the model-file check (deleted/replaced/new models), ms (default 5 000; 0 = never). */
  refreshMs?: number;
  /** The worker's stats period, ms (default 2 000). */
  statsMs?: number;
  /** Camera name for health rows (default: the id). */
  cameraName?: (id: string) => string;
  /** The models enabled cameras ask for (null = the site default). */
  wantedModels?: () => (string | null)[];
}

/** A worker that ran this long before crashing restarts after the initial delay again. */
const STABLE_MS = 60_000;

interface Worker {
  handle: WorkerHandle;
  gen: number;
  endpoint: string;
  startedAt: number;
  subs: Disposable[];
  /** Asked to stop: its exit is not a crash. */
  stopping: boolean;
  readyTimer: NodeJS.Timeout | null;
  /** Models still to try while starting (the first failed to load). */
  fallbacks: ModelEntry[];
  /** The model a reload asked for, until the worker answers. */
  reloadTarget: ModelEntry | null;
  /** Its last `stats` message. */
  stats: InferenceWorkerStats | null;
}

export class InferenceHost {
  private st: InferenceHostState = { type: 'off', reason: 'Detection has not started yet.' };
  private worker: Worker | null = null;
  private gen = 0;
  private restarts = 0;
  private readonly backoff: Backoff = createBackoff();
  private retryTimer: NodeJS.Timeout | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private refreshing = false;
  private readonly changes: Emitter<[]>;
  private readonly log: Logger;
  /** The last reload that failed (the running model was kept). */
  private lastError: string | null = null;
  /** Why the running model's file is not usable any more (it keeps running from memory). */
  private modelProblem: string | null = null;
  /** A model that failed to load, by id + file hash: not retried until it changes. */
  private readonly failed = new Map<string, string>();
  /** The models cameras ask for beside the primary: asked, loaded, and why the others are not. */
  private readonly extras = new ExtraModels();
  private extrasTimer: NodeJS.Timeout | null = null;
  private readonly faceLooks = new FaceLookCalls();

  constructor(private readonly o: InferenceHostOptions) {
    this.log = o.logger.child({ component: 'inference-host' });
    this.changes = new Emitter({ name: 'inference', log: this.log });
  }

  get state(): InferenceHostState {
    return this.st;
  }

  /** Picks the model and starts the worker; starts the periodic model-file check. */
  start(): void {
    if (this.st.type === 'disposed') return;
    removeStaleSockets(path.join(this.o.dataDir, 'run'));
    void this.launch();
    const every = this.o.refreshMs ?? 5_000;
    if (every > 0 && !this.refreshTimer) {
      this.refreshTimer = setInterval(() => void this.refresh(), every);
      this.refreshTimer.unref();
    }
  }

  onChange(listener: () => void): Disposable {
    return this.changes.on(listener);
  }

  /**
   * Where a camera sends frames and how it prepares them, for the model it asks for (null/undefined = the site
   * default): that model when the worker has it loaded, else the primary; undefined while detection is not running.
   */
  inference(modelId?: string | null): { endpoint: string; spec: ModelInputSpec } | undefined {
    if (this.st.type !== 'running') return undefined;
    const extra = modelId ? this.extras.get(modelId) : undefined;
    if (modelId && !extra && modelId !== this.st.model.id && !this.extras.hasFailed(modelId)) this.scheduleExtrasSync();
    return { endpoint: this.st.endpoint, spec: modelInputSpec(extra?.manifest ?? this.st.model) };
  }

  /**
   * Changes whenever what cameras should be given changes: the endpoint, the primary's input spec, or the set of
   * loaded extras.
   */
  routingKey(): string {
    const now = this.inference();
    const primary = now ? [now.endpoint, now.spec.modelId, now.spec.width, now.spec.height, now.spec.colour, now.spec.letterbox, now.spec.padValue] : ['not running'];
    return [...primary, ...this.extras.loadedIds()].join('\n');
  }

  /** Extra models loaded now, and why the others cameras asked for are not. */
  extraModels(): { loaded: { id: string; name: string; executionProvider: string }[]; failed: Map<string, string>; problems: Map<string, string> } {
    return this.extras.view();
  }

  /** The model id that runs now (null when none). */
  get runningModelId(): string | null {
    return this.st.type === 'running' ? this.st.model.id : null;
  }

  status(): DetectionStatus {
    const s = this.st;
    switch (s.type) {
      case 'running':
        return { state: 'on', modelId: s.model.id, executionProvider: s.executionProvider, fallback: isFallbackModel(s.model), message: runningMessage(s.model, s.executionProvider, this.modelProblem, this.lastError) };
      case 'starting':
        return { state: 'off', modelId: null, executionProvider: null, message: `Detection is starting: loading ${s.model.name}…` };
      case 'restarting':
        return { state: 'off', modelId: null, executionProvider: null, message: `Detection is off for now: the inference worker stopped (${s.reason}); restarting it (attempt ${s.attempt}).` };
      case 'off':
        return { state: 'off', modelId: null, executionProvider: null, message: s.reason };
      case 'disposed':
        return { state: 'off', modelId: null, executionProvider: null, message: 'Detection is off: the engine is stopping.' };
    }
  }

  /**
   * Faces in the head regions of a frame's display JPEG, found by the worker's face models between its
   * person-detection frames (the live face step, face-watch.ts).
   */
  faceLook(look: FaceLookRequest): Promise<FaceLookReply> {
    const w = this.worker;
    if (this.st.type !== 'running' || !w) return Promise.resolve({ status: 'skipped', reason: 'person detection is not running' });
    return this.faceLooks.call((m) => send(w, m), look);
  }

  /** The running worker's totals over cameras (processed, dropped) and its queue, for the analysis-rate controller; null when none runs. */
  load(): { processed: number; dropped: number; pending: number } | null {
    const st = this.st.type === 'running' ? this.worker?.stats : null;
    if (!st) return null;
    let processed = 0;
    let dropped = 0;
    for (const c of Object.values(st.cameras)) {
      processed += c.processed;
      dropped += c.dropped;
    }
    return { processed, dropped, pending: st.pending };
  }

  health(): ComponentHealth[] {
    return inferenceHealth({ state: this.st, stats: this.worker?.stats ?? null, pid: this.worker?.handle.pid, restarts: this.restarts, problem: this.modelProblem ?? this.lastError, cameraName: this.o.cameraName ?? ((id) => id), extras: this.extras.view().loaded });
  }

  /**
   * Re-evaluates which model should run (site default changed, model installed or removed) and switches to it.
   * A model that fails to load leaves the running one in place (see lastError in status()).
   */
  async reload(): Promise<void> {
    if (this.st.type === 'disposed') return;
    this.failed.clear();
    await this.refresh(true);
  }

  /** Stops the worker and every timer; resolves when the worker is gone. */
  async dispose(): Promise<void> {
    if (this.st.type === 'disposed') return;
    this.st = { type: 'disposed' };
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    if (this.extrasTimer) clearTimeout(this.extrasTimer);
    this.retryTimer = this.refreshTimer = this.extrasTimer = null;
    this.gen++;
    await this.stopWorker();
    this.changes.clear();
  }

  /** Installed models, the one to run first: the registry orders them (site default, then rank). */
  private async candidates(): Promise<ModelEntry[]> {
    const all = await this.o.registry.list();
    const best = await this.o.registry.best();
    const installed = all.filter((e) => e.status === 'installed' && this.failed.get(e.manifest.id) !== e.actualSha256);
    return best && installed.some((e) => e.manifest.id === best.manifest.id) ? [best, ...installed.filter((e) => e.manifest.id !== best.manifest.id)] : installed;
  }

  private async launch(): Promise<void> {
    const gen = ++this.gen;
    let candidates: ModelEntry[];
    try {
      candidates = await this.candidates();
    } catch (e) {
      candidates = [];
      this.log.error('model registry failed', { error: (e as Error).message });
    }
    if (gen !== this.gen || this.isDisposed()) return;
    await this.stopWorker();
    if (gen !== this.gen || this.isDisposed()) return;
    const first = candidates[0];
    if (!first) {
      this.set({ type: 'off', reason: await this.noModelReason() });
      return;
    }
    const { executionProvider, threads } = this.o.runtimeSettings();
    const endpoint = runDirEndpoint(path.join(this.o.dataDir, 'run'));
    const args = ['--endpoint', endpoint, '--model', first.manifestPath, '--models-dir', this.o.registry.modelsDir, '--ep', providerList(executionProvider), '--threads', String(Math.max(1, Math.round(threads) || 1)), '--stats-ms', String(this.o.statsMs ?? 2_000)];
    this.log.info('starting the inference worker', { model: first.manifest.id, executionProvider, threads });
    let handle: WorkerHandle;
    try {
      handle = this.o.starter.start({ name: 'inference', entry: this.o.entry ?? 'inference-worker.cjs', args, mallocTunables: true });
    } catch (e) {
      this.scheduleRestart(`the worker could not start: ${(e as Error).message}`, 0);
      return;
    }
    const w: Worker = { handle, gen, endpoint, startedAt: Date.now(), subs: [], stopping: false, readyTimer: null, fallbacks: candidates.slice(1), reloadTarget: first, stats: null };
    this.worker = w;
    w.subs.push(handle.onMessage((m) => this.onMessage(w, m as FromInferenceWorker)));
    w.subs.push(handle.onExit((e) => this.onExit(w, e)));
    w.readyTimer = setTimeout(() => {
      this.log.error('the inference worker did not become ready; killing it', { timeoutMs: this.o.readyTimeoutMs ?? 60_000 });
      handle.kill();
    }, this.o.readyTimeoutMs ?? 60_000);
    w.readyTimer.unref();
    this.set({ type: 'starting', model: first.manifest });
  }

  private onMessage(w: Worker, m: FromInferenceWorker): void {
    if (w !== this.worker || this.st.type === 'disposed' || !m || typeof m !== 'object') return;
    switch (m.type) {
      case 'log':
        this.log[m.level in LEVELS ? m.level : 'info'](`[worker] ${m.msg}`, m.fields);
        return;
      case 'stats':
        w.stats = m;
        return;
      case 'extras':
        if (this.extras.onReport(m)) this.emit();
        return;
      case 'face-look':
        this.faceLooks.answer(m.id, m.reply);
        return;
      case 'fatal':
        this.log.error('inference worker fatal error', { message: m.message });
        return;
      case 'ready':
        if (w.readyTimer) clearTimeout(w.readyTimer);
        w.readyTimer = null;
        this.onModel(w, m.modelId, m.executionProvider, m.error);
        return;
      case 'model':
        // During start the `ready` that follows the first load decides; later `model` answers a reload.
        if (this.st.type === 'running' || (this.st.type === 'starting' && w.readyTimer === null)) this.onModel(w, m.modelId, m.executionProvider, m.error);
        return;
    }
  }

  private onModel(w: Worker, modelId: string | null, executionProvider: string | null, error: string | null): void {
    const target = w.reloadTarget;
    w.reloadTarget = null;
    if (target && modelId === target.manifest.id) {
      this.lastError = null;
      this.modelProblem = null;
      this.backoff.reset();
      this.log.info('detection running', { model: modelId, executionProvider });
      this.set({ type: 'running', model: target.manifest, endpoint: w.endpoint, executionProvider: executionProvider ?? 'cpu', since: Date.now() });
      this.scheduleExtrasSync();
      return;
    }
    const why = error ?? `model ${target?.manifest.id ?? '?'} did not load`;
    if (target?.actualSha256) this.failed.set(target.manifest.id, target.actualSha256);
    if (this.st.type === 'running') {
      // A reload failed: the worker keeps the model it had.
      this.lastError = `${target?.manifest.name ?? 'The new model'} could not be loaded (${why}); still running ${this.st.model.name}.`;
      this.log.error('model reload failed; keeping the running model', { target: target?.manifest.id, kept: this.st.model.id, error: why });
      this.emit();
      return;
    }
    const next = w.fallbacks.shift();
    if (next) {
      this.log.warn('model did not load; trying the next installed one', { failed: target?.manifest.id, next: next.manifest.id, error: why });
      w.reloadTarget = next;
      send(w, { type: 'reload', model: next.manifestPath });
      this.set({ type: 'starting', model: next.manifest });
      return;
    }
    this.log.error('no model could be loaded; detection is off', { error: why });
    void this.stopWorker();
    this.set({ type: 'off', reason: `Detection is off: no installed model could be loaded (${why}). To add a working one, an admin imports a model file on the Models page.` });
  }

  private onExit(w: Worker, exit: WorkerExit): void {
    w.subs.forEach((s) => s.dispose());
    if (w.readyTimer) clearTimeout(w.readyTimer);
    if (w !== this.worker) return;
    this.worker = null;
    this.extras.clear();
    this.faceLooks.failAll('the inference worker stopped');
    if (w.stopping || this.st.type === 'disposed') return;
    const reason = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    this.scheduleRestart(reason, Date.now() - w.startedAt);
  }

  private scheduleRestart(reason: string, ranMs: number): void {
    if (ranMs > STABLE_MS) this.backoff.reset();
    this.restarts++;
    const delay = this.backoff.next();
    this.log.error('inference worker stopped unexpectedly; restarting', { reason, delayMs: delay, attempt: this.backoff.attempt });
    this.set({ type: 'restarting', attempt: this.backoff.attempt, retryAt: Date.now() + delay, reason });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.launch();
    }, delay);
    this.retryTimer.unref();
  }

  /** Checks the running model's file and whether a better model is installed; reloads or relaunches as needed. */
  private async refresh(force = false): Promise<void> {
    if (this.refreshing || this.st.type === 'disposed') return;
    this.refreshing = true;
    try {
      const s = this.st;
      if (s.type === 'off' && (force || !this.worker)) {
        if ((await this.candidates()).length || force) await this.launch();
        return;
      }
      if (s.type === 'starting' && force) {
        await this.launch();
        return;
      }
      if (s.type !== 'running') return;
      const entries = await this.o.registry.list();
      const mine = entries.find((e) => e.manifest.id === s.model.id);
      const problem = !mine ? `the manifest of ${s.model.id} is gone` : mine.status !== 'installed' ? (mine.error ?? mine.status) : null;
      const shown = problem ? `The running model's file has a problem (${problem}); it keeps running from memory until a restart.` : null;
      if (shown !== this.modelProblem) {
        this.modelProblem = shown;
        if (problem) this.log.warn('running model file problem; keeping the loaded model', { model: s.model.id, problem });
        this.emit();
      }
      if (problem) return; // keep what runs rather than switching under the officer's feet
      const best = (await this.candidates())[0];
      const w = this.worker;
      if (best && w && best.manifest.id !== s.model.id && !w.reloadTarget && this.st === s) {
        this.log.info('switching model', { from: s.model.id, to: best.manifest.id });
        w.reloadTarget = best;
        send(w, { type: 'reload', model: best.manifestPath });
      }
      await this.syncExtras(force);
    } catch (e) {
      this.log.error('model refresh failed', { error: (e as Error).message });
    } finally {
      this.refreshing = false;
    }
  }

  private scheduleExtrasSync(): void {
    if (this.extrasTimer || this.st.type === 'disposed') return;
    this.extrasTimer = setTimeout(() => {
      this.extrasTimer = null;
      void this.syncExtras().catch((e: unknown) => this.log.error('extra models sync failed', { error: (e as Error).message }));
    }, 0);
    this.extrasTimer.unref();
  }

  /** Asks the worker for the models cameras want beside the primary (installed ones; the rest get a reason). */
  private async syncExtras(force = false): Promise<void> {
    const s = this.st;
    const w = this.worker;
    if (s.type !== 'running' || !w || !this.o.wantedModels) return;
    const wanted = [...new Set(this.o.wantedModels().filter((id): id is string => !!id && id !== s.model.id))].sort();
    const entries = wanted.length ? await this.o.registry.list() : [];
    if (this.worker !== w || this.st !== s) return;
    const plan = this.extras.plan(wanted, entries);
    const applied = this.extras.apply(plan, force);
    if (applied.problemsChanged) {
      for (const [id, p] of plan.problems) this.log.warn('extra model file problem; keeping the loaded model', { model: id, problem: p });
      this.emit();
    }
    if (applied.send) send(w, { type: 'extras', models: applied.send });
    if (applied.errorsChanged) this.emit();
  }

  private async noModelReason(): Promise<string> {
    let problems: string[] = [];
    try {
      problems = (await this.o.registry.list()).filter((e) => e.status === 'invalid').map((e) => `${e.manifest.id}: ${e.error}`);
    } catch {}
    const how = 'To add one, an admin imports a model file (for example YOLOX-Nano) on the Models page.';
    return `Detection is off: no usable model is installed. ${how}${problems.length ? ` Refused: ${problems.join('; ')}.` : ''}`;
  }

  private async stopWorker(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.worker = null;
    this.extras.clear();
    this.faceLooks.failAll('the inference worker stopped');
    w.stopping = true;
    if (w.readyTimer) clearTimeout(w.readyTimer);
    w.subs.forEach((s) => s.dispose());
    await w.handle.stop(5_000).catch(() => undefined);
    if (process.platform !== 'win32') fs.rmSync(w.endpoint, { force: true });
  }

  private isDisposed(): boolean {
    return this.st.type === 'disposed';
  }

  private set(next: InferenceHostState): void {
    if (this.st.type === 'disposed') return;
    this.st = next;
    this.emit();
  }

  private emit(): void {
    this.changes.emit();
  }
}

const LEVELS = { debug: 1, info: 1, warn: 1, error: 1 } as const;

function send(w: Worker, message: ToInferenceWorker): void {
  w.handle.send(message);
}
