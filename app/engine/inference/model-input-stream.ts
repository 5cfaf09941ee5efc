import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { resolveFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import type { SourceProbe } from '../ffmpeg/source-probe';
import type { ModelInputSpec } from './inference-api';
import type { DetectionTiling } from '../../shared/domain/detection-tiling';
import { buildModelInputFilter, buildTiledModelInputFilter, type ModelInputFilter } from './model-input-filter';

export interface ModelInputStreamOptions {
  source: string;
  spec: ModelInputSpec;
  probe: SourceProbe;
  /** Output frame rate (fps filter); omitted: every decoded frame. */
  fps?: number;
  /** Loop a file forever (bench cameras). */
  loop?: boolean;
  /** Read at the source's native rate (-re) like a live camera. */
  realtime?: boolean;
  /** Stop after this many frames. */
  maxFrames?: number;
  /** Tiled detection: each frame is several model inputs stacked (see `filter.tiles`). */
  tiling?: DetectionTiling | null;
}

export interface ModelInputFrame {
  index: number;
  /** Seconds from the start of the source (index / output rate). */
  t: number;
  data: Buffer;
  /** Epoch ms when the frame was completely read. */
  capturedAt: number;
}

/** ffmpeg arguments that decode `source` into raw model-input frames on stdout. */
export function modelInputStreamArgs(opts: ModelInputStreamOptions, filter: ModelInputFilter): string[] {
  const vf = [opts.fps ? `fps=${opts.fps}` : '', filter.filter].filter(Boolean).join(',');
  return [
    '-hide_banner', '-nostdin', '-nostats', '-v', 'error',
    ...(opts.realtime ? ['-re'] : []),
    ...(opts.loop && !opts.probe.isImage ? ['-stream_loop', '-1'] : []),
    '-threads', '1',
    '-i', opts.source,
    '-an', '-sn', '-dn',
    '-vf', vf,
    ...(opts.fps ? [] : ['-fps_mode', 'passthrough']),
    ...(opts.probe.isImage ? ['-frames:v', '1'] : opts.maxFrames ? ['-frames:v', String(opts.maxFrames)] : []),
    '-pix_fmt', filter.pixFmt,
    '-f', 'rawvideo', 'pipe:1',
  ];
}

/**
 * Decodes a file, URL or image with ffmpeg into model-input frames (the same filter as the camera worker), as fast
 * as the consumer takes them (stdout back-pressure) unless `realtime`. Used by the CLI (`analyze`) and tests, not
 * by cameras (they go through camera-session.ts). Always stop() it (or read to the end).
 */
export class ModelInputStream {
  readonly filter: ModelInputFilter;
  private readonly proc: ChildProcessByStdio<null, Readable, Readable>;
  private stderr = '';
  private exited: Promise<number | null>;

  constructor(private readonly opts: ModelInputStreamOptions) {
    this.filter = opts.tiling ? buildTiledModelInputFilter(opts.spec, opts.probe.width, opts.probe.height, opts.tiling) : buildModelInputFilter(opts.spec, opts.probe.width, opts.probe.height);
    this.proc = spawn(resolveFfmpeg().path, modelInputStreamArgs(opts, this.filter), { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    this.proc.stderr.on('data', (c: Buffer) => {
      if (this.stderr.length < 8192) this.stderr += c.toString();
    });
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code) => resolve(code));
      this.proc.on('error', (e) => {
        this.stderr += e.message;
        resolve(-1);
      });
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  async *frames(): AsyncGenerator<ModelInputFrame> {
    const size = this.filter.frameBytes;
    const rate = this.opts.fps ?? this.opts.probe.fps ?? 1;
    let pending: Buffer[] = [];
    let have = 0;
    let index = 0;
    for await (const chunk of this.proc.stdout as AsyncIterable<Buffer>) {
      pending.push(chunk);
      have += chunk.length;
      while (have >= size) {
        const all = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
        const data = Buffer.from(all.subarray(0, size));
        const rest = all.subarray(size);
        pending = rest.length ? [rest] : [];
        have = rest.length;
        yield { index, t: index / rate, data, capturedAt: Date.now() };
        index++;
      }
    }
    const code = await this.exited;
    if (code !== 0 && code !== null && index === 0) throw new Error(`ffmpeg could not decode ${this.opts.source}: ${this.stderr.trim().split('\n').pop() ?? `exit ${code}`}`);
  }

  /** Kills ffmpeg (if still running) and waits for it. */
  async stop(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
    await this.exited;
  }
}
