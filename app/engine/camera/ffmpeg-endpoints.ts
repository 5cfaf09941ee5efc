import path from 'node:path';

/**
 * Where the camera's ffmpeg writes its two outputs (display JPEGs, raw model frames) and reads the privacy-mask
 * image from, as URLs for its argument list. Two transports carry the same bytes (ffmpeg-transport.ts runs them):
 *
 * - `pipes`: pipes the child inherits as fds 3, 4 and 5 (`pipe:3`...). The fast, proven path on Linux and macOS.
 *   On Windows, fds above 2 reach the child only through libuv's use of the undocumented `lpReserved2` block of
 *   STARTUPINFO, which only some C runtimes read (https://github.com/golang/go/issues/53686 explains the block;
 *   https://github.com/nodejs/node/issues/14046: extra stdio fds carrying no data on Windows), so whether a given
 *   ffmpeg build sees them is not something we can promise.
 * - `sockets`: the worker listens on one local socket per output and ffmpeg connects to it by name: on Windows a
 *   named pipe (`\\.\pipe\...`, opened by ffmpeg's file protocol like a file), elsewhere a unix socket in a private
 *   temp folder (ffmpeg's `unix:` protocol). The mask image is a file in that folder. Needs nothing beyond
 *   stdin/stdout/stderr from the C runtime: the Windows path by design; forced on Linux to test that same code.
 */
export type FfmpegTransportKind = 'pipes' | 'sockets';

/** Environment variable that forces a transport (`pipes` or `sockets`) where no option names one. */
export const FFMPEG_TRANSPORT_ENV = 'WATCHROOM_FFMPEG_TRANSPORT';

export interface FfmpegEndpoints {
  /** Output URL of the display JPEGs (MJPEG). */
  jpeg: string;
  /** Output URL of the raw model frames (used only when inference is on). */
  raw: string;
  /** Input URL of the mask image (PGM; used only when masks are active). */
  mask: string;
}

/** Child fds of the `pipes` transport. */
export const PIPE_FDS = { jpeg: 3, raw: 4, mask: 5 } as const;

export const PIPE_ENDPOINTS: FfmpegEndpoints = { jpeg: `pipe:${PIPE_FDS.jpeg}`, raw: `pipe:${PIPE_FDS.raw}`, mask: `pipe:${PIPE_FDS.mask}` };

/**
 * The transport for this process: an explicit option first, then `WATCHROOM_FFMPEG_TRANSPORT`, then the platform
 * (Windows: sockets; everywhere else: pipes). An unknown env value is ignored.
 */
export function chooseFfmpegTransport(requested: FfmpegTransportKind | undefined, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): FfmpegTransportKind {
  if (requested) return requested;
  const forced = env[FFMPEG_TRANSPORT_ENV]?.trim().toLowerCase();
  if (forced === 'pipes' || forced === 'sockets') return forced;
  return platform === 'win32' ? 'sockets' : 'pipes';
}

/**
 * Longest unix socket path we create: `sun_path` holds 108 bytes on Linux and 104 on macOS, NUL included.
 */
export const MAX_UNIX_SOCKET_PATH = 103;

export interface LocalSocketName {
  /** Private temp folder of this camera's worker (POSIX sockets live there; unused on Windows). */
  dir: string;
  pid: number;
  cameraId: string;
  /** Unique within the worker: one per socket ever created. */
  n: number;
}

/** Camera ids are user-chosen: only [A-Za-z0-9_-] go into a name, at most 40 of them. */
const safeName = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'camera';

/**
 * Path of one local socket: Windows `\\.\pipe\watchroom-<pid>-<camera>-<n>`, elsewhere `<dir>/<n>.sock`. Throws
 * when a unix socket path would be too long to bind (a temp folder deep in the file system).
 */
export function localSocketPath(platform: NodeJS.Platform, name: LocalSocketName): string {
  if (platform === 'win32') return `\\\\.\\pipe\\watchroom-${name.pid}-${safeName(name.cameraId)}-${name.n}`;
  const p = path.posix.join(name.dir, `${name.n}.sock`);
  if (Buffer.byteLength(p) > MAX_UNIX_SOCKET_PATH) throw new Error(`the temporary folder path is too long for a local socket (${p})`);
  return p;
}

/**
 * ffmpeg's URL for a local socket path. Windows: the pipe path itself (no scheme, so ffmpeg's file protocol opens it
 * with CreateFile, which connects to a named pipe). Elsewhere `unix:<path>` (ffmpeg's unix protocol, connect mode;
 * ffmpeg 5.1 accepts `unix:/abs/path` and `unix:///abs/path` alike, checked by experiment).
 */
export function localSocketUrl(platform: NodeJS.Platform, socketPath: string): string {
  return platform === 'win32' ? socketPath : `unix:${socketPath}`;
}

/** ffmpeg's URL for a file path: `file:` keeps a colon in the path from being read as a protocol name. */
export function fileUrl(filePath: string): string {
  return `file:${filePath}`;
}
