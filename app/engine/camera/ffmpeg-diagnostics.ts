import type { SourceKind } from '../../shared/domain/camera';
import { maskUrlCredentials, urlSecrets } from '../../shared/url-masking';

/**
 * Reads ffmpeg's stderr: the source frame size (from the input stream line) and, when ffmpeg exits, an
 * officer-readable failure reason. Everything derived from the source is masked (no credentials).
 */
export interface FfmpegFailure {
  /** One line an officer can read, e.g. "Authentication failed (wrong user name or password)". */
  reason: string;
  /** Permanent failures (bad file, not a video, no such device, auth refused) retry slowly; others back off. */
  permanent: boolean;
}

/** Masks every URL in a line of ffmpeg output (ffmpeg echoes the input URL, credentials included), then every secret of `secret` (the source) wherever it appears. */
export function maskLine(line: string, secret?: string): string {
  let out = maskUrlCredentials(line);
  for (const value of secret ? urlSecrets(secret) : []) {
    out = out.split(value).join('***');
    const decoded = safeDecode(value);
    if (decoded && decoded !== value) out = out.split(decoded).join('***');
  }
  return out;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/**
 * Source frame size from an input stream line, e.g.
 * `Stream #0:0[0x1](eng): Video: h264 (Main) (avc1 / 0x31637661), yuv420p(tv, ...), 768x432, 187 kb/s`.
 * Output stream lines (after "Output #") must not be passed here.
 */
export function parseInputVideoSize(line: string): { width: number; height: number } | null {
  if (!/^\s*Stream #0:\d+.*: Video: /.test(line)) return null;
  const m = /,\s(\d{2,5})x(\d{2,5})\b/.exec(line);
  if (!m) return null;
  const width = Number(m[1]);
  const height = Number(m[2]);
  return width > 0 && height > 0 ? { width, height } : null;
}

/**
 * Demuxers that turn text (or other non-video data) into pictures: ffmpeg happily "plays" a .txt file as ANSI
 * art through `tty`. A camera source detected as one of these is rejected as not a video.
 */
const NON_VIDEO_DEMUXERS = new Set(['tty', 'bin', 'xbin', 'adf', 'idf', 'ansi', 'srt', 'ass', 'webvtt', 'subviewer', 'subviewer1', 'lrc', 'sami', 'microdvd', 'mpl2', 'jacosub', 'realtext', 'stl', 'pjs', 'vplayer', 'aqtitle', 'scc', 'txt']);

/** For an `Input #0, <demuxer>, from '...'` line: an officer-readable rejection, or null when acceptable. */
export function rejectInputFormat(line: string): string | null {
  const m = /^Input #0, ([^,]+(?:,[^,]+)*?), from /.exec(line.trim());
  if (!m) return null;
  const names = m[1]!.split(',').map((n) => n.trim());
  return names.some((n) => NON_VIDEO_DEMUXERS.has(n)) ? 'Not a playable video (the source is text, not video)' : null;
}

interface Rule {
  re: RegExp;
  reason: (kind: SourceKind) => string;
  permanent: boolean;
}

const RULES: Rule[] = [
  { re: /401 Unauthorized|403 Forbidden|authenticat|Unauthorized/i, reason: () => 'Authentication failed (wrong user name or password)', permanent: true },
  // Transient: a restreaming server (NVR, media server) answers 404 until its source publishes.
  { re: /404 Not Found|Server returned 404|method DESCRIBE failed: 404/i, reason: () => 'The stream was not found on the server (check the path)', permanent: false },
  { re: /Connection refused/i, reason: () => 'Connection refused (camera or server not accepting connections)', permanent: false },
  { re: /No route to host|Network is unreachable|Host is unreachable/i, reason: () => 'Host unreachable (check the network and address)', permanent: false },
  { re: /Failed to resolve hostname|Name or service not known|Temporary failure in name resolution|nodename nor servname/i, reason: () => 'Host name not found (check the address)', permanent: false },
  { re: /Connection timed out|Operation timed out|timed out/i, reason: () => 'Connection timed out', permanent: false },
  { re: /Cannot open video device|Could not find video device|Could not enumerate video devices|video device not found/i, reason: () => 'No such video device', permanent: true },
  {
    re: /No such file or directory/i,
    reason: (k) => (k === 'device' ? 'No such video device' : k === 'file' ? 'Video file not found' : 'Stream not found'),
    permanent: true,
  },
  { re: /Permission denied/i, reason: (k) => (k === 'device' ? 'Permission denied opening the video device' : 'Permission denied reading the source'), permanent: true },
  { re: /Device or resource busy/i, reason: () => 'The video device is in use by another program', permanent: false },
  { re: /matches no streams|does not contain any stream|no video stream/i, reason: () => 'The source has no video stream', permanent: true },
  { re: /moov atom not found|Invalid data found when processing input|could not find codec parameters|Unknown input format|Invalid argument/i, reason: () => 'Not a playable video (invalid or unsupported data)', permanent: true },
  { re: /Decoder \(codec .*\) not found|Unsupported codec/i, reason: () => 'Unsupported video codec', permanent: true },
  { re: /Connection reset by peer|Broken pipe|End of file|Input\/output error/i, reason: () => 'Connection lost', permanent: false },
];

/**
 * Why ffmpeg stopped, from its exit and the tail of its stderr. `code 0` with an empty stderr is what an
 * RTSP server that dies looks like ("stream ended").
 */
export function classifyFfmpegExit(kind: SourceKind, code: number | null, signal: string | null, stderrTail: string[]): FfmpegFailure {
  const text = stderrTail.join('\n');
  // Last matching line wins its rule, but rules are ordered by specificity.
  for (const rule of RULES) if (rule.re.test(text)) return { reason: rule.reason(kind), permanent: rule.permanent };
  if (signal) return { reason: `The decoder was stopped (${signal})`, permanent: false };
  if (code === 0 || code === null) return { reason: 'The stream ended', permanent: false };
  const last = [...stderrTail].reverse().find((l) => l.trim().length > 0);
  return { reason: last ? `The decoder failed: ${truncate(last.trim(), 160)}` : `The decoder failed (exit code ${code})`, permanent: false };
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
