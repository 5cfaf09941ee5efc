import { parseSource, type CameraState, type SourceKind } from '../../shared/domain/camera';
import { maskUrlCredentials } from '../../shared/url-masking';
import type { FrameHeader } from '../../shared/domain/detection';
import type { PrivacyMask } from '../../shared/domain/privacy-mask';
import type { InferenceClient } from '../inference/inference-api';
import { createBackoff, type Backoff } from './backoff';
import type { CameraRuntimeConfig } from './camera-runtime';
import { nextCameraState, type CameraEvent } from './camera-state';
import type { CameraAnalysisStatus, CameraWorkerOptions, CameraWorkerStats } from './camera-worker-protocol';
import type { GateTrack } from '../motion/detection-gate';
import type { Rule } from '../../shared/domain/rules';
import { benchmarksWholeDecode, DecodeTiming } from './decode-timing';
import { buildFfmpegArgs } from './ffmpeg-args';
import { chooseFfmpegTransport, type FfmpegEndpoints } from './ffmpeg-endpoints';
import { createFfmpegTransport, type FfmpegLink, type FfmpegTransport } from './ffmpeg-transport';
import { classifyFfmpegExit, type FfmpegFailure } from './ffmpeg-diagnostics';
import { FfmpegRun, type FfmpegRunEnd } from './ffmpeg-run';
import { FfmpegRunOutputs } from './ffmpeg-run-outputs';
import { FfmpegStderrLines, FfmpegStderrReader } from './ffmpeg-stderr';
import { FramePipeline } from './frame-pipeline';
import { ProcStatSampler, SelfUsageSampler } from './process-usage';
import type { RawFrameSplitter } from './raw-frame-splitter';
import { FrameWatchdog } from './watchdog';

/** What a CameraSession is given: its config, the process helpers and the event sinks. */
export interface CameraSessionDeps {
  ffmpegPath: () => string;
  /**
   * First line of `ffmpeg -version` for that ffmpeg. Decode latency is measured only when it names a version whose
   * `-benchmark_all` times the whole decode (decode-timing.ts); absent or unknown: not measured.
   */
  ffmpegVersion?: () => string | null;
  createInferenceClient: (endpoint: string) => InferenceClient;
  onState: (state: CameraState) => void;
  onFrame: (header: FrameHeader, jpeg: Buffer, looks?: ReadonlyArray<Float32Array | null>) => void;
  onStats: (stats: CameraWorkerStats) => void;
  onFfmpeg: (pid: number | null) => void;
  /** The camera's live tracks after the last analysed frame (motion-gated detection). */
  liveTracks?: () => readonly GateTrack[];
  /** Tracks and rules of the camera, for the stats' analysis status (the analytics stage's). */
  analysisStatus?: () => Pick<CameraAnalysisStatus, 'hasRules' | 'liveTracks' | 'tracksNearRules'>;
  log: (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;
  now?: () => number;
  random?: () => number;
}

/** A connection that stayed online this long resets the backoff. */
const STABLE_MS = 10_000;

/**
 * One camera inside its worker process: runs ffmpeg, watches it, classifies its failures, reconnects with
 * backoff, and emits state changes, frames and stats. Never leaves an ffmpeg behind (dispose() SIGKILLs it and
 * resolves once it is gone).
 */
export class CameraSession {
  private state: CameraState = { type: 'disabled' };
  /** The current ffmpeg run, and when the last one started has ended (closed). */
  private run: FfmpegRun | null = null;
  private runClosed: Promise<void> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | null = null;
  private statsTimer: NodeJS.Timeout | null = null;
  private disposed = false;
  private readonly backoff: Backoff;
  private readonly pipeline: FramePipeline;
  private readonly watchdog: FrameWatchdog;
  private readonly kind: SourceKind;
  private readonly masked: string;
  private readonly now: () => number;
  private readonly self = new SelfUsageSampler();
  private ffmpegStats: ProcStatSampler | null = null;
  private nextSeq = 0;
  private runBase = 0;
  private onlineSince: number | null = null;
  private lastFrameAt: number | null = null;
  private reconnects = 0;
  private killReason: FfmpegFailure | null = null;
  private statsWindow = { at: 0, frames: 0 };
  /** Active privacy masks burned into the display output (changed live by setMasks). */
  private masks: PrivacyMask[];
  /** Set when ffmpeg is killed to apply new masks: it is restarted at once, not treated as a failure. */
  private restartForMasks = false;
  /** How ffmpeg's outputs reach this worker (inherited pipes, or local sockets: ffmpeg-transport.ts). */
  private readonly transport: FfmpegTransport;
  /** The current run's connections; its raw output is paused while inference paces the file. */
  private link: FfmpegLink | null = null;
  /** Set while the next run's endpoints are being readied (sockets start listening). */
  private preparing: Promise<void> | null = null;
  private rawSplitter: RawFrameSplitter | null = null;
  private readonly paced: boolean;
  /** Decode latency of the current ffmpeg run, from its `-benchmark_all` lines (see decode-timing.ts). */
  private readonly decodeTiming = new DecodeTiming();

  constructor(
    private readonly config: CameraRuntimeConfig,
    private readonly options: CameraWorkerOptions,
    private readonly deps: CameraSessionDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.masks = config.masks ?? [];
    this.masked = maskUrlCredentials(config.source);
    let kind: SourceKind = 'file';
    try {
      kind = parseSource(config.source).kind;
    } catch {}
    this.kind = kind;
    this.paced = options.pacing === 'inference' && kind === 'file';
    this.backoff = createBackoff({ initialMs: options.backoffInitialMs, maxMs: options.backoffMaxMs, ...(deps.random ? { random: deps.random } : {}) });
    this.pipeline = new FramePipeline({
      cameraId: config.id,
      analysisFps: config.analysisFps,
      ...(config.inference ? { inference: config.inference } : {}),
      createClient: deps.createInferenceClient,
      emit: (h, j, looks) => deps.onFrame(h, j, looks),
      log: (level, msg) => deps.log(level, msg),
      now: this.now,
      maxInFlight: options.maxInFlight ?? 1,
      recycle: (data) => this.rawSplitter?.recycle(data),
      ...(this.paced ? { pause: (paused: boolean) => this.link?.pauseRaw(paused) } : {}),
      ...(config.motionGating ? { motionGating: config.motionGating } : {}),
      rules: config.rules ?? [],
      ...(deps.liveTracks ? { liveTracks: deps.liveTracks } : {}),
    });
    this.transport = createFfmpegTransport(chooseFfmpegTransport(options.ffmpegTransport), { cameraId: config.id });
    this.watchdog = new FrameWatchdog({
      gapMs: options.watchdogGapMs,
      connectTimeoutMs: options.connectTimeoutMs,
      now: this.now,
      onStalled: (lastFrameAt) => this.apply({ type: 'gap', at: this.now(), lastFrameAt }),
      onExpired: ({ firstFrame, silentMs }) => {
        const s = Math.round(silentMs / 1000);
        this.killReason = firstFrame
          ? { reason: `No picture for ${s} s (the source stalled)`, permanent: false }
          : { reason: `No picture within ${s} s of connecting`, permanent: false };
        this.deps.log('warn', `watchdog: ${this.killReason.reason}; killing ffmpeg`);
        this.run?.kill();
      },
    });
  }

  get current(): CameraState {
    return this.state;
  }

  start(): void {
    if (this.disposed) return;
    this.apply({ type: 'enable', at: this.now() });
    let invalid: string | null = null;
    try {
      parseSource(this.config.source);
    } catch (e) {
      invalid = (e as Error).message;
    }
    if (invalid) {
      // A malformed source cannot get better by retrying: offline with no retry.
      this.apply({ type: 'failure', at: this.now(), reason: invalid, permanent: true, attempt: 0, retryAt: null });
      return;
    }
    this.statsWindow = { at: this.now(), frames: 0 };
    this.statsTimer = setInterval(() => this.reportStats(), this.options.statsIntervalMs);
    this.connect(0);
  }

  private apply(event: CameraEvent): void {
    const next = nextCameraState(this.state, event);
    if (next === this.state) return;
    this.state = next;
    this.deps.onState(next);
  }

  /** ffmpeg's arguments for this camera now; throws when the source cannot be opened on this platform. */
  private plan(timeDecode: boolean, endpoints: FfmpegEndpoints): ReturnType<typeof buildFfmpegArgs> {
    return buildFfmpegArgs({
      source: this.config.source,
      kind: this.kind,
      rtspTransport: this.config.rtspTransport,
      analysisFps: this.config.analysisFps,
      displayMaxHeight: this.options.displayMaxHeight,
      jpegQuality: this.options.jpegQuality,
      ioTimeoutMs: this.options.ioTimeoutMs,
      marker: `watchroom-cam-${this.config.id}`,
      ...(this.paced ? { realtime: false } : {}),
      ...(this.config.inference ? { inference: this.config.inference.spec, tiling: this.config.inference.tiling ?? null } : {}),
      ...(this.masks.length ? { masks: this.masks } : {}),
      ...(timeDecode ? { benchmarkDecode: true } : {}),
      endpoints,
    });
  }

  private connect(attempt: number): void {
    if (this.disposed) return;
    this.retryTimer = null;
    this.apply({ type: 'connect', at: this.now(), attempt });
    let ffmpeg: string;
    try {
      ffmpeg = this.deps.ffmpegPath();
    } catch (e) {
      this.fail({ reason: (e as Error).message, permanent: true });
      return;
    }
    const prepared = this.transport.prepare({ raw: Boolean(this.config.inference) }).then(
      (link) => {
        this.preparing = null;
        if (this.disposed) link.close();
        else this.launch(ffmpeg, attempt, link);
      },
      (e: Error) => {
        this.preparing = null;
        this.fail({ reason: `The video connection to ffmpeg could not be set up: ${e.message}`, permanent: false });
      },
    );
    this.preparing = prepared;
  }

  /**
   * Starts ffmpeg for one run, its outputs connected through `link`: the process (ffmpeg-run.ts), its stderr
   * (ffmpeg-stderr.ts: diagnosis, input size, decode timing) and its two outputs into the frame pipeline
   * (ffmpeg-run-outputs.ts).
   */
  private launch(ffmpeg: string, attempt: number, link: FfmpegLink): void {
    const timeDecode = benchmarksWholeDecode(this.deps.ffmpegVersion?.() ?? null);
    let plan: ReturnType<typeof buildFfmpegArgs>;
    try {
      plan = this.plan(timeDecode, link.endpoints);
    } catch (e) {
      // A source this platform cannot open as given (e.g. a file URL without a drive letter on Windows) does not
      // get better by retrying: offline, instead of an exception that would take the worker down at every restart.
      link.close();
      this.fail({ reason: (e as Error).message, permanent: true });
      return;
    }
    this.deps.log('info', `starting ffmpeg for ${this.masked} (attempt ${attempt + 1})`);
    this.killReason = null;
    this.onlineSince = null;
    this.runBase = this.nextSeq;
    this.pipeline.resetRun();
    this.decodeTiming.reset();
    let run: FfmpegRun;
    const stderrLines = new FfmpegStderrLines({
      source: this.config.source,
      timing: (line) => this.decodeTiming.consume(line),
      onRejected: (reason) => {
        if (this.killReason) return;
        this.killReason = { reason, permanent: true };
        run.kill();
      },
      onInputSize: (width, height) => this.pipeline.setSourceSize(width, height),
    });
    let stderr: FfmpegStderrReader | null = null;
    try {
      run = FfmpegRun.start(link, ffmpeg, plan, (end) => {
        stderr?.close();
        this.onRunEnded(run, link, end, stderrLines.tail);
      });
    } catch (e) {
      // Only the sockets transport can throw here (writing the mask file): try again later.
      link.close();
      this.fail({ reason: `ffmpeg could not be started: ${(e as Error).message}`, permanent: false });
      return;
    }
    this.run = run;
    this.link = link;
    this.runClosed = run.closed;
    if (run.pid) {
      this.ffmpegStats = new ProcStatSampler(run.pid);
      this.deps.onFfmpeg(run.pid);
    }
    stderr = run.child.stderr ? new FfmpegStderrReader(run.child.stderr, (text) => stderrLines.push(text)) : null;
    run.onExit(() => stderr?.stopBatching());

    const outputs = new FfmpegRunOutputs({
      runBase: this.runBase,
      fps: this.config.analysisFps > 0 ? this.config.analysisFps : 10,
      rawFrameBytes: plan.rawFrameBytes,
      pipeline: this.pipeline,
      discarding: () => this.killReason !== null,
      onFrame: (index, seq) => {
        this.nextSeq = Math.max(this.nextSeq, seq + 1);
        this.onFrameArrived();
        if (index === 0) stderr?.startBatching();
      },
    });
    this.rawSplitter = outputs.raw;
    link.read(outputs.readers());
    this.watchdog.start();
  }

  /** One ffmpeg run is over (exited, or never started): reconnect, at once for new masks, else after a failure. */
  private onRunEnded(run: FfmpegRun, link: FfmpegLink, end: FfmpegRunEnd, tail: readonly string[]): void {
    this.watchdog.stop();
    if (this.run === run) this.run = null;
    if (this.link === link) this.link = null;
    this.ffmpegStats = null;
    this.deps.onFfmpeg(null);
    if (this.disposed) return;
    if (this.restartForMasks) {
      this.restartForMasks = false;
      this.connect(0);
      return;
    }
    const { code, signal, spawnError } = end;
    const failure: FfmpegFailure = spawnError
      ? { reason: `ffmpeg could not be started: ${spawnError.message}`, permanent: true }
      : (this.killReason ?? classifyFfmpegExit(this.kind, code, signal, [...tail]));
    this.deps.log('warn', `ffmpeg exited (code ${code}, signal ${signal}): ${failure.reason}${tail.length ? `\n  ${tail.slice(-6).join('\n  ')}` : ''}`);
    this.fail(failure);
  }

  private onFrameArrived(): void {
    const at = this.now();
    this.lastFrameAt = at;
    this.watchdog.frame();
    if (this.onlineSince === null) this.onlineSince = at;
    if (this.state.type !== 'online') this.apply({ type: 'frame', at });
  }

  private fail(failure: FfmpegFailure): void {
    if (this.disposed) return;
    const at = this.now();
    if (this.onlineSince !== null && at - this.onlineSince >= STABLE_MS) this.backoff.reset();
    this.reconnects += 1;
    if (failure.permanent) {
      const retryAt = at + this.options.permanentRetryMs;
      this.apply({ type: 'failure', at, reason: failure.reason, permanent: true, attempt: this.backoff.attempt, retryAt });
      this.schedule(this.options.permanentRetryMs, this.backoff.attempt + 1);
      return;
    }
    const delay = this.backoff.next();
    this.apply({ type: 'failure', at, reason: failure.reason, permanent: false, attempt: this.backoff.attempt, retryAt: at + delay });
    this.schedule(delay, this.backoff.attempt);
  }

  private schedule(delayMs: number, attempt: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(attempt), delayMs);
  }

  private reportStats(): void {
    const at = this.now();
    const frames = this.pipeline.emittedFrames;
    const dt = (at - this.statsWindow.at) / 1000;
    const fps = dt > 0 ? Math.round(((frames - this.statsWindow.frames) / dt) * 10) / 10 : 0;
    this.statsWindow = { at, frames };
    this.pipeline.fps = fps;
    const decode = this.decodeTiming.stats();
    const ff = this.run?.pid ? { pid: this.run.pid, usage: this.ffmpegStats?.sample(at) } : null;
    this.deps.onStats({
      at,
      fps,
      lastFrameAt: this.lastFrameAt,
      reconnects: this.reconnects,
      droppedFrames: this.pipeline.droppedFrames,
      ...(decode ? { decode } : {}),
      detection: this.pipeline.detectionStatus,
      worker: this.self.sample(),
      ...(this.config.inference
        ? {
            analysis: {
              ...(this.deps.analysisStatus?.() ?? { hasRules: false, liveTracks: 0, tracksNearRules: false }),
              detectedFrames: this.pipeline.detectedFrames,
              gatedFrames: this.pipeline.gatedFrames,
              reducedFps: this.pipeline.reducedRate,
            },
          }
        : {}),
      ffmpeg: ff ? (ff.usage ? { pid: ff.pid, usage: ff.usage } : { pid: ff.pid }) : null,
    });
  }

  /** New rules: motion near them is what matters to the detection gate. */
  setRules(rules: readonly Rule[]): void {
    this.pipeline.setRules(rules);
  }

  /** The analysis rate while reduced for load (null: configured); ffmpeg keeps running. */
  setReducedRate(fps: number | null): void {
    const before = this.pipeline.reducedRate;
    this.pipeline.setReducedRate(fps);
    const after = this.pipeline.reducedRate;
    if (before !== after) this.deps.log('info', after === null ? `analysis back to ${this.config.analysisFps} fps` : `analysis reduced to ${after} fps (load)`);
  }

  /**
   * New privacy masks: ffmpeg is restarted with them (the worker, its tracker and rules stay). Frames still in
   * flight from the old ffmpeg are dropped, so no picture without the new masks is emitted after this call.
   */
  setMasks(masks: PrivacyMask[]): void {
    if (JSON.stringify(masks) === JSON.stringify(this.masks)) return;
    this.masks = masks;
    if (this.disposed || !this.run) return; // the next connect uses them
    this.restartForMasks = true;
    this.killReason = { reason: 'privacy masks changed', permanent: false };
    this.run.kill();
  }

  /** Stops everything; resolves once ffmpeg has exited. */
  async dispose(): Promise<void> {
    if (this.disposed) return this.runClosed;
    this.disposed = true;
    this.watchdog.stop();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.pipeline.dispose();
    // A stalled ffmpeg ignores SIGTERM, and it writes nothing worth finishing: SIGKILL straight away.
    this.run?.kill();
    await this.preparing;
    const closed = this.runClosed;
    await Promise.race([closed, new Promise((r) => setTimeout(r, 5_000).unref())]);
    this.link?.close();
    this.transport.dispose();
  }

  /** Synchronous last resort (process exit handlers). */
  killNow(): void {
    this.disposed = true;
    try {
      this.run?.kill();
    } catch {}
    try {
      this.transport.dispose();
    } catch {}
  }
}
