import { LATENCY_BUCKETS_S } from '../../shared/domain/health';

/**
 * Decode latency of one camera, taken from ffmpeg's own instrumentation (`-benchmark_all`).
 *
 * What ffmpeg reports: with `-benchmark_all`, ffmpeg up to 6.0 logs one line per call of its video decode step,
 *
 *     bench:     2049 user     1098 sys     3151 real decode_video 0.0
 *
 * where `real` is the wall-clock time in microseconds that the call spent in libavcodec: avcodec_send_packet
 * (which, with `-threads 1` as the camera's ffmpeg runs, decodes the packet right there) plus
 * avcodec_receive_frame. `0.0` is input file 0, stream 0. For each packet ffmpeg makes one call that carries the
 * packet and returns its frame, then one more call that finds no further frame and ends that packet (it decodes
 * nothing: a few microseconds). So two consecutive decode calls are one decoded frame, and the sum of their `real`
 * times is how long ffmpeg's decoder took for that frame, in wall-clock time (so time the process waited for a CPU
 * counts, as it delays the frame). That sum is one sample; the camera reports the mean and the 95th percentile of
 * the last 100 samples. Only input 0 (the camera) counts: input 1, when present, is the privacy-mask image.
 *
 * Known imprecision: a packet that yields no frame (the first one or two packets of a stream whose decoder holds
 * frames back for reordering, or a corrupt packet) has a single call; one sample then holds two packets' decoding
 * and the pairing shifts by one call, after which each sample is still one decoding call plus one empty call.
 * When a stream ends, ffmpeg drains the decoder with calls that carry no packet (a few microseconds each), which
 * make one or two near-zero samples; the window of 100 frames dilutes both.
 *
 * ffmpeg 6.1 and later time only avcodec_receive_frame in that line (the decoding done inside avcodec_send_packet
 * falls outside the timed span), which would read as near zero. The timing is therefore only requested from ffmpeg
 * versions that time the whole call (`benchmarksWholeDecode`); with any other ffmpeg decode latency stays absent.
 *
 * Volume: one line (about 65 bytes) per decode call, i.e. two per source frame, plus two per encoded frame and
 * output; about 5 KB/s for a 25 fps camera analysed at 5 fps. Lines are recognised by their `bench:` prefix and
 * never reach the diagnostics tail that classifies ffmpeg's exit.
 */

/** Samples (decoded frames) the rolling statistics cover. */
export const DECODE_WINDOW = 100;

export interface DecodeStats {
  /** Mean wall-clock decode time per decoded frame over the window, ms. */
  meanMs: number;
  /** 95th percentile of the same, ms. */
  p95Ms: number;
  /** Decoded frames in the window (at most DECODE_WINDOW). */
  frames: number;
  /**
   * Every decoded frame since the camera worker started (all ffmpeg runs): cumulative counts per bucket of
   * LATENCY_BUCKETS_S, their number and the sum in seconds, as a Prometheus histogram wants.
   */
  histogram: { buckets: number[]; count: number; sum: number };
}

/**
 * Whether this ffmpeg's `-benchmark_all` decode line times the whole decode (send packet + receive frame):
 * true for ffmpeg up to 6.0, from the first line of `ffmpeg -version` (e.g. `ffmpeg version 5.1.9-0+deb12u1`,
 * `ffmpeg version n6.0`, `ffmpeg version 6.0-static`). Unknown versions (git builds `N-…`, dated builds) are false.
 */
export function benchmarksWholeDecode(versionLine: string | null | undefined): boolean {
  const m = /ffmpeg version n?(\d+)\.(\d+)/i.exec(versionLine ?? '');
  if (!m) return false;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major < 6 || (major === 6 && minor === 0);
}

export interface BenchLine {
  /** e.g. `decode_video`, `encode_video`. */
  stage: string;
  /** Input (decode) or output (encode) file index, null when the line names none. */
  file: number | null;
  userUs: number;
  sysUs: number;
  realUs: number;
}

const BENCH_RE = /^bench:\s+(\d+) user\s+(\d+) sys\s+(\d+) real (\S+)(?: (\d+)[.:]\d+)?/;
const REPEATED_RE = /^\s*Last message repeated (\d+) times?/;

/** One `-benchmark_all` line, or null for anything else (including ffmpeg's final `bench: utime=…` summary). */
export function parseBenchLine(line: string): BenchLine | null {
  if (!line.startsWith('bench:')) return null;
  const m = BENCH_RE.exec(line);
  if (!m) return null;
  return { stage: m[4]!, file: m[5] === undefined ? null : Number(m[5]), userUs: Number(m[1]), sysUs: Number(m[2]), realUs: Number(m[3]) };
}

/**
 * Rolling decode timing of one camera from its ffmpeg's stderr lines (see the file comment for what is measured).
 * Feed it every stderr line; `consume` says which lines were benchmark output and must not be kept as diagnostics.
 */
export class DecodeTiming {
  private readonly samples = new Float64Array(DECODE_WINDOW);
  private count = 0;
  private next = 0;
  /** Real time of the first call of the current pair, µs; null when the next call starts a pair. */
  private half: number | null = null;
  /** The last line was a camera decode line (for ffmpeg's "Last message repeated N times"). */
  private lastDecodeUs: number | null = null;
  /** The last line was any benchmark line. */
  private lastWasBench = false;
  private readonly histogram = { buckets: LATENCY_BUCKETS_S.map(() => 0), count: 0, sum: 0 };

  /** True when the line is benchmark output (counted if it is a camera decode line). */
  consume(line: string): boolean {
    const bench = parseBenchLine(line);
    if (bench) {
      this.lastWasBench = true;
      this.lastDecodeUs = bench.stage === 'decode_video' && bench.file === 0 ? bench.realUs : null;
      if (this.lastDecodeUs !== null) this.call(this.lastDecodeUs);
      return true;
    }
    // ffmpeg folds identical consecutive log lines into "Last message repeated N times".
    const repeated = this.lastWasBench ? REPEATED_RE.exec(line) : null;
    if (repeated) {
      if (this.lastDecodeUs !== null) for (let i = Number(repeated[1]); i > 0; i--) this.call(this.lastDecodeUs);
      return true;
    }
    this.lastWasBench = false;
    this.lastDecodeUs = null;
    return false;
  }

  private call(realUs: number): void {
    if (this.half === null) {
      this.half = realUs;
      return;
    }
    const ms = (this.half + realUs) / 1000;
    this.histogram.count += 1;
    this.histogram.sum += ms / 1000;
    LATENCY_BUCKETS_S.forEach((le, i) => {
      if (ms / 1000 <= le) this.histogram.buckets[i]! += 1;
    });
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % DECODE_WINDOW;
    this.count = Math.min(DECODE_WINDOW, this.count + 1);
    this.half = null;
  }

  /** Mean and p95 over the window, or null before the first decoded frame. */
  stats(): DecodeStats | null {
    if (this.count === 0) return null;
    const xs = Array.from(this.samples.subarray(0, this.count)).sort((a, b) => a - b);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const p95 = xs[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)]!;
    const h = this.histogram;
    return { meanMs: mean, p95Ms: p95, frames: xs.length, histogram: { buckets: [...h.buckets], count: h.count, sum: h.sum } };
  }

  /** A new ffmpeg run: forgets the samples (they described another decoder) and any half pair. */
  reset(): void {
    this.count = 0;
    this.next = 0;
    this.half = null;
    this.lastDecodeUs = null;
    this.lastWasBench = false;
  }
}
