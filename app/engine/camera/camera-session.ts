import type { ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type net from 'node:net';
import { parseSource, type CameraState, type SourceKind } from '../../shared/domain/camera';
import { maskUrlCredentials } from '../../shared/url-masking';
import type { FrameHeader } from '../../shared/domain/detection';
import type { PrivacyMask } from '../../shared/domain/privacy-mask';
import type { InferenceClient } from '../inference/inference-api';
import { createBackoff, type Backoff } from './backoff';
import type { CameraRuntimeConfig } from './camera-runtime';
import { nextCameraState, type CameraEvent } from './camera-state';
import type { CameraWorkerOptions, CameraWorkerStats } from './camera-worker-protocol';
import { benchmarksWholeDecode, DecodeTiming } from './decode-timing';
import { buildFfmpegArgs } from './ffmpeg-args';
import { chooseFfmpegTransport, type FfmpegEndpoints } from './ffmpeg-endpoints';
import { createFfmpegTransport, type FfmpegLink, type FfmpegTransport } from './ffmpeg-transport';
import { classifyFfmpegExit, maskLine, parseInputVideoSize, rejectInputFormat, type FfmpegFailure } from './ffmpeg-diagnostics';
import { FramePipeline } from './frame-pipeline';
import { jpegSize, MjpegSplitter } from './mjpeg-splitter';
import { ProcStatSampler, SelfUsageSampler } from './process-usage';
import { adoptWithUserBuffer } from '../process/user-buffer-socket';
import { RawFrameReader } from './raw-frame-reader';
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
  log: (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;
  now?: () => number;
  random?: () => number;
}

/** A connection that stayed online this long resets the backoff. */
const STABLE_MS = 10_000;
const STDERR_TAIL = 40;
/** Once frames flow, ffmpeg's stderr is read this often (see connect()). */
const STDERR_BATCH_MS = 100;
const STDERR_READ_BYTES = 64 * 1024;

/**
 * One camera inside its worker process: runs ffmpeg, watches it, classifies its failures, reconnects with
 * backoff, and emits state changes, frames and stats. Never leaves an ffmpeg behind (dispose() SIGKILLs it and
 * resolves once it is gone).
 */
export class CameraSession {
  private state: CameraState = { type: 'disabled' };
  private child: ChildProcess | null = null;
  private childClosed: Promise<void> = Promise.resolve();
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
  private rawReader: RawFrameReader | null = null;
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
      recycle: (data) => this.rawReader?.recycle(data),
      ...(this.paced ? { pause: (paused: boolean) => this.link?.pauseRaw(paused) } : {}),
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
        this.child?.kill('SIGKILL');
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

  /** Starts ffmpeg for one run, its outputs connected through `link`. */
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
    let child: ChildProcess;
    try {
      child = link.spawn(ffmpeg, plan);
    } catch (e) {
      // Only the sockets transport can throw here (writing the mask file): try again later.
      link.close();
      this.fail({ reason: `ffmpeg could not be started: ${(e as Error).message}`, permanent: false });
      return;
    }
    this.child = child;
    this.link = link;
    let resolveClosed!: () => void;
    this.childClosed = new Promise((r) => (resolveClosed = r));
    const tail: string[] = [];
    let sawOutput = false;
    let finished = false;
    const finish = (code: number | null, signal: string | null, spawnError?: Error) => {
      if (finished) return;
      finished = true;
      stopBatching();
      this.watchdog.stop();
      if (this.child === child) this.child = null;
      if (this.link === link) this.link = null;
      this.ffmpegStats = null;
      this.deps.onFfmpeg(null);
      resolveClosed();
      if (this.disposed) return;
      if (this.restartForMasks) {
        this.restartForMasks = false;
        this.connect(0);
        return;
      }
      const failure: FfmpegFailure = spawnError
        ? { reason: `ffmpeg could not be started: ${spawnError.message}`, permanent: true }
        : (this.killReason ?? classifyFfmpegExit(this.kind, code, signal, tail));
      this.deps.log('warn', `ffmpeg exited (code ${code}, signal ${signal}): ${failure.reason}${tail.length ? `\n  ${tail.slice(-6).join('\n  ')}` : ''}`);
      this.fail(failure);
    };
    child.once('error', (e) => finish(null, null, e));
    child.once('close', (code, signal) => finish(code, signal));
    if (child.pid) {
      this.ffmpegStats = new ProcStatSampler(child.pid);
      this.deps.onFfmpeg(child.pid);
    }

    let stderrBuf = '';
    const onStderr = (d: string) => {
      stderrBuf += d;
      const lines = stderrBuf.split(/\r?\n|\r/);
      stderrBuf = lines.pop() ?? '';
      if (stderrBuf.length > 8192) stderrBuf = stderrBuf.slice(-8192);
      for (const raw of lines) {
        if (!raw.trim()) continue;
        // Timing lines (one per decode call) feed decode latency and never crowd the diagnostics tail.
        if (this.decodeTiming.consume(raw)) continue;
        const line = maskLine(raw, this.config.source);
        if (/^Output #/.test(line)) sawOutput = true;
        if (!sawOutput) {
          const rejected = rejectInputFormat(line);
          if (rejected && !this.killReason) {
            this.killReason = { reason: rejected, permanent: true };
            child.kill('SIGKILL');
          }
          const size = parseInputVideoSize(line);
          if (size) this.pipeline.setSourceSize(size.width, size.height);
        }
        tail.push(line);
        if (tail.length > STDERR_TAIL) tail.shift();
      }
    };
    // ffmpeg writes each log line on its own, and with -benchmark_all that is several lines per frame: read as they
    // come, each would wake this process. Once frames flow, stderr is read in batches instead (every
    // STDERR_BATCH_MS; the lines wait in the pipe meanwhile, a few KB); until then, and from ffmpeg's exit on, at once.
    const utf8 = new StringDecoder('utf8');
    let batching = false;
    let batchTimer: NodeJS.Timeout | null = null;
    const stderr = child.stderr
      ? adoptWithUserBuffer(
          child.stderr as net.Socket,
          (chunk) => {
            onStderr(utf8.write(chunk));
            if (batching) stderr?.pause();
          },
          STDERR_READ_BYTES,
        ).socket
      : null;
    stderr?.on('error', () => {});
    const stopBatching = () => {
      batching = false;
      if (batchTimer) clearInterval(batchTimer);
      batchTimer = null;
      stderr?.resume();
    };
    const startBatching = () => {
      if (batching || !stderr || finished) return;
      batching = true;
      batchTimer = setInterval(() => stderr.resume(), STDERR_BATCH_MS);
    };
    child.once('exit', stopBatching);

    const fps = this.config.analysisFps > 0 ? this.config.analysisFps : 10;
    let jpegIndex = 0;
    let sizeKnown = false;
    const splitter = new MjpegSplitter((jpeg) => {
      if (this.killReason) return;
      const index = jpegIndex++;
      const seq = this.runBase + index;
      this.nextSeq = Math.max(this.nextSeq, seq + 1);
      if (!sizeKnown) {
        sizeKnown = true;
        if (!this.pipeline.hasSourceSize) {
          const s = jpegSize(jpeg);
          if (s) this.pipeline.setSourceSize(s.width, s.height);
        }
      }
      this.onFrameArrived();
      if (index === 0) startBatching();
      this.pipeline.onJpeg(seq, index / fps, jpeg);
    });
    const reader = plan.rawFrameBytes ? new RawFrameReader(plan.rawFrameBytes, (frame, index) => this.pipeline.onRaw(this.runBase + index, index / fps, frame)) : null;
    this.rawReader = reader;
    link.read({ jpeg: (chunk) => splitter.push(chunk), raw: reader });
    this.watchdog.start();
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
    const ff = this.child?.pid ? { pid: this.child.pid, usage: this.ffmpegStats?.sample(at) } : null;
    this.deps.onStats({
      at,
      fps,
      lastFrameAt: this.lastFrameAt,
      reconnects: this.reconnects,
      droppedFrames: this.pipeline.droppedFrames,
      ...(decode ? { decode } : {}),
      detection: this.pipeline.detectionStatus,
      worker: this.self.sample(),
      ffmpeg: ff ? (ff.usage ? { pid: ff.pid, usage: ff.usage } : { pid: ff.pid }) : null,
    });
  }

  /**
   * New privacy masks: ffmpeg is restarted with them (the worker, its tracker and rules stay). Frames still in
   * flight from the old ffmpeg are dropped, so no picture without the new masks is emitted after this call.
   */
  setMasks(masks: PrivacyMask[]): void {
    if (JSON.stringify(masks) === JSON.stringify(this.masks)) return;
    this.masks = masks;
    if (this.disposed || !this.child) return; // the next connect uses them
    this.restartForMasks = true;
    this.killReason = { reason: 'privacy masks changed', permanent: false };
    this.child.kill('SIGKILL');
  }

  /** Stops everything; resolves once ffmpeg has exited. */
  async dispose(): Promise<void> {
    if (this.disposed) return this.childClosed;
    this.disposed = true;
    this.watchdog.stop();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.pipeline.dispose();
    // A stalled ffmpeg ignores SIGTERM, and it writes nothing worth finishing: SIGKILL straight away.
    this.child?.kill('SIGKILL');
    await this.preparing;
    const closed = this.childClosed;
    await Promise.race([closed, new Promise((r) => setTimeout(r, 5_000).unref())]);
    this.link?.close();
    this.transport.dispose();
  }

  /** Synchronous last resort (process exit handlers). */
  killNow(): void {
    this.disposed = true;
    try {
      this.child?.kill('SIGKILL');
    } catch {}
    try {
      this.transport.dispose();
    } catch {}
  }
}
