import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { SourceKind } from '../../shared/domain/camera';
import { inputArgs } from '../camera/ffmpeg-args';

/**
 * One recorder ffmpeg for one camera: the source is stream-copied (`-c copy`: no decode, no transcode) into short
 * fragmented-MP4 segments (`movflags=+frag_keyframe+empty_moov+default_base_moof`, each fragment flushed as it is
 * written: `flush_packets=1`), so a segment cut by SIGKILL or a power loss still plays up to its last complete
 * fragment (a key frame apart), and the browser's MSE plays the files as they are. MPEG-TS would be as
 * crash-tolerant but needs remuxing before a browser plays it.
 *
 * Outputs besides the segments:
 *  - fd 1: `framecrc` of every copied packet (one short line each). Its lines are the recorder's heartbeat (a
 *    stalled source stops them: the watchdog SIGKILLs ffmpeg, which ignores SIGTERM while stalled), and the pipe
 *    ties ffmpeg's life to ours: when this process dies, ffmpeg's next write fails and it ends (ffmpeg ignores
 *    SIGPIPE, but a failed muxer write finishes every output) — recorders never outlive the app;
 *  - fd 3: the segment list (CSV `file,start,end` in seconds) as each segment completes;
 *  - stderr at `info`: `Opening '<file>' for writing` as each segment starts, and the codec.
 */

export interface RecorderSpec {
  /** Unmasked source (may carry credentials): goes only into the argument list, never into logs. */
  source: string;
  kind: SourceKind;
  rtspTransport: 'tcp' | 'udp';
  /** Folder ffmpeg writes its segments into (0700), before the service moves them to their dated folder. */
  stagingDir: string;
  /** Unique per run: segment files are `<runId>-NNNNNN.mp4`. */
  runId: string;
  /** Segment length, seconds (cut at the first key frame after it). */
  segmentSeconds: number;
  /** Socket I/O timeout for network sources, ms. */
  ioTimeoutMs?: number;
}

/** Kinds a recorder can stream-copy (a USB camera gives raw video: recording it would mean encoding). */
export function recordable(kind: SourceKind): boolean {
  return kind === 'rtsp' || kind === 'http' || kind === 'file';
}

export function recorderArgs(spec: RecorderSpec): string[] {
  const input = inputArgs({ source: spec.source, kind: spec.kind, rtspTransport: spec.rtspTransport, ioTimeoutMs: spec.ioTimeoutMs ?? 10_000 });
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'info',
    '-fflags',
    '+genpts',
    ...input,
    '-map',
    '0:v:0',
    '-c',
    'copy',
    '-f',
    'segment',
    '-segment_time',
    String(spec.segmentSeconds),
    '-segment_format',
    'mp4',
    '-segment_format_options',
    'movflags=+frag_keyframe+empty_moov+default_base_moof:flush_packets=1',
    '-reset_timestamps',
    '1',
    '-segment_list',
    'pipe:3',
    '-segment_list_type',
    'csv',
    path.join(spec.stagingDir, `${spec.runId}-%06d.mp4`),
    '-map',
    '0:v:0',
    '-c',
    'copy',
    '-f',
    'framecrc',
    '-flush_packets',
    '1',
    'pipe:1',
  ];
}

export interface RecorderEvents {
  /** ffmpeg opened a new segment file (absolute path) at this wall-clock time. */
  opened(file: string, atMs: number): void;
  /** A segment is complete: its file (absolute), start and end on the stream's timeline, seconds. */
  completed(file: string, startS: number, endS: number): void;
  /** ffmpeg ended: exit code or signal, why we killed it (null: it ended by itself), the last stderr lines. */
  exited(code: number | null, signal: NodeJS.Signals | null, killedFor: string | null, tail: string): void;
}

/** A running recorder ffmpeg: its heartbeat watchdog and the parsing of its outputs. */
export class RecorderProcess {
  private readonly child: ChildProcess;
  private lastPacketMs: number;
  private readonly watchdog: NodeJS.Timeout;
  private killedFor: string | null = null;
  private readonly tail: string[] = [];
  private stderrRest = '';
  private listRest = '';
  /** Video codec as ffmpeg names it, once its stream line went by. */
  codec: string | null = null;
  private exitedFlag = false;

  constructor(
    ffmpegPath: string,
    private readonly spec: RecorderSpec,
    private readonly events: RecorderEvents,
    private readonly options: { stallMs: number; now?: () => number },
  ) {
    const now = options.now ?? Date.now;
    this.lastPacketMs = now();
    this.child = spawn(ffmpegPath, recorderArgs(spec), { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], windowsHide: true });
    this.child.stdout?.on('data', () => (this.lastPacketMs = now()));
    this.child.stderr?.on('data', (d: Buffer) => this.onStderr(d.toString('utf8')));
    (this.child.stdio[3] as NodeJS.ReadableStream | null)?.on('data', (d: Buffer) => this.onList(d.toString('utf8')));
    (this.child.stdio[3] as NodeJS.ReadableStream | null)?.on('error', () => {});
    // No packet for stallMs (connecting included): a stalled ffmpeg ignores SIGTERM, so SIGKILL.
    this.watchdog = setInterval(() => {
      if (now() - this.lastPacketMs > options.stallMs) this.kill(`no video for ${Math.round(options.stallMs / 1000)} s`);
    }, Math.min(1000, options.stallMs));
    this.watchdog.unref?.();
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      if (this.exitedFlag) return;
      this.exitedFlag = true;
      clearInterval(this.watchdog);
      this.events.exited(code, signal, this.killedFor, this.tail.join('\n'));
    };
    this.child.once('error', (err) => {
      this.tail.push(`could not start ffmpeg: ${err.message}`);
      if (this.child.pid === undefined) done(null, null);
    });
    this.child.once('exit', (code, signal) => {
      // The last list lines and stderr arrive before 'close'; wait for it (bounded) so nothing is lost.
      const t = setTimeout(() => done(code, signal), 2000);
      this.child.once('close', () => {
        clearTimeout(t);
        done(code, signal);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.exitedFlag;
  }

  /** Stops ffmpeg: SIGTERM (it finishes the segment it writes), SIGKILL after graceMs. Resolves on exit. */
  stop(graceMs = 3000): Promise<void> {
    if (this.exitedFlag) return Promise.resolve();
    const gone = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.killedFor = this.killedFor ?? 'stopped';
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    return Promise.race([gone, new Promise<void>((r) => setTimeout(r, graceMs + 2500))]).finally(() => clearTimeout(t));
  }

  /** SIGKILL now (watchdog, dispose). */
  kill(reason: string): void {
    if (this.exitedFlag) return;
    this.killedFor = this.killedFor ?? reason;
    this.child.kill('SIGKILL');
  }

  private onStderr(text: string): void {
    const lines = (this.stderrRest + text).split(/\r?\n/);
    this.stderrRest = lines.pop() ?? '';
    for (const line of lines) {
      const opened = /Opening '(.+)' for writing/.exec(line);
      if (opened && opened[1] && path.dirname(opened[1]) === this.spec.stagingDir) {
        this.events.opened(opened[1], (this.options.now ?? Date.now)());
        continue;
      }
      if (!this.codec) {
        const codec = /Stream #0:\d+.*: Video: ([a-z0-9_]+)/.exec(line);
        if (codec?.[1]) this.codec = codec[1];
      }
      if (line.trim()) {
        this.tail.push(line);
        if (this.tail.length > 20) this.tail.shift();
      }
    }
  }

  private onList(text: string): void {
    const lines = (this.listRest + text).split(/\r?\n/);
    this.listRest = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^(.*),(-?[\d.]+),(-?[\d.]+)$/.exec(line.trim());
      if (!m || !m[1]) continue;
      this.events.completed(path.join(this.spec.stagingDir, path.basename(m[1])), Number(m[2]), Number(m[3]));
    }
  }
}
