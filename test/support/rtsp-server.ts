import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Real RTSP servers for integration tests, bound to 127.0.0.1 on free ports:
 *  - Debian's GStreamer RTSP server (python3-gi + gir1.2-gst-rtsp-server-1.0), run by a small Python script
 *    written to a temp dir and started with /usr/bin/python3: TCP and UDP pull, optional basic auth;
 *  - rtsp-server-perl (UDP only) fed by an ffmpeg publisher looping the clip in real time.
 * Every process started here is tracked; call `stopAllRtspServers()` in afterAll as a safety net.
 */
export interface RtspServer {
  /** The port clients read from. */
  readonly port: number;
  /** Server process pid (the one to SIGSTOP to simulate a stall). */
  readonly pid: number | undefined;
  /** rtsp://[user:pass@]127.0.0.1:<port><mount> */
  url(credentials?: { user: string; pass: string }): string;
  /** SIGKILLs the server (and its publisher); resolves when gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT the server process (a stalled source). */
  pause(): void;
  resume(): void;
}

export interface GstServerOptions {
  clip: string;
  port?: number;
  mount?: string;
  auth?: { user: string; pass: string };
}

const tracked = new Set<ChildProcess>();

const GST_SCRIPT = `
import sys
import gi
gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import Gst, GstRtspServer, GLib
Gst.init(None)
port, clip, mount, user, password = sys.argv[1:6]
server = GstRtspServer.RTSPServer()
server.set_address('127.0.0.1')
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
clip_q = clip.replace('"', '\\\\"')
factory.set_launch('( filesrc location="%s" ! qtdemux ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )' % clip_q)
factory.set_shared(True)
if user:
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, 'user')
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
    server.set_auth(auth)
    perms = GstRtspServer.RTSPPermissions()
    perms.add_role_from_structure(Gst.Structure.new_from_string(
        'user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true'))
    factory.set_permissions(perms)
server.get_mount_points().add_factory(mount, factory)
if server.attach(None) == 0:
    print('attach failed', flush=True)
    sys.exit(2)
print('READY', flush=True)
GLib.MainLoop().run()
`;

let scriptPath: string | null = null;
function gstScript(): string {
  if (scriptPath && fs.existsSync(scriptPath)) return scriptPath;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-rtsp-'));
  scriptPath = path.join(dir, 'gst_rtsp_server.py');
  fs.writeFileSync(scriptPath, GST_SCRIPT);
  return scriptPath;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the port (bounded by timeoutMs). */
export async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect({ host: '127.0.0.1', port });
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
      c.setTimeout(1000, () => {
        c.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

/** Resolves once ffprobe can describe the stream (the publisher is live), bounded by timeoutMs. */
export async function waitForStream(url: string, transport: 'tcp' | 'udp', timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const p = spawn('ffprobe', ['-v', 'error', '-rtsp_transport', transport, '-timeout', '3000000', '-i', url], { stdio: 'ignore' });
      const t = setTimeout(() => p.kill('SIGKILL'), 8_000);
      p.once('exit', (code) => {
        clearTimeout(t);
        resolve(code === 0);
      });
      p.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no stream at ${url} after ${timeoutMs} ms`);
}

function track(child: ChildProcess, name: string): ChildProcess {
  tracked.add(child);
  child.once('exit', () => tracked.delete(child));
  const out: string[] = [];
  const keep = (d: Buffer) => {
    out.push(d.toString());
    if (out.length > 50) out.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  (child as ChildProcess & { logTail?: () => string }).logTail = () => `${name}: ${out.join('')}`;
  return child;
}

async function kill(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  } catch {}
  await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
}

export async function startGstRtspServer(options: GstServerOptions): Promise<RtspServer> {
  const port = options.port ?? (await freePort());
  const mount = options.mount ?? '/cam1';
  let child: ChildProcess | null = null;
  const launch = async () => {
    const args = [gstScript(), String(port), options.clip, mount, options.auth?.user ?? '', options.auth?.pass ?? ''];
    child = track(spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'pipe'] }), 'gst-rtsp-server');
    await waitForPort(port);
  };
  await launch();
  return {
    port,
    get pid() {
      return child?.pid;
    },
    url: (c) => `rtsp://${c ? `${encodeURIComponent(c.user)}:${encodeURIComponent(c.pass)}@` : ''}127.0.0.1:${port}${mount}`,
    stop: () => kill(child),
    restart: async () => {
      await kill(child);
      await launch();
    },
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
  };
}

/** rtsp-server-perl (UDP only) plus an ffmpeg publisher looping `clip` in real time. */
export async function startPerlRtspServer(options: { clip: string; port?: number; mount?: string }): Promise<RtspServer> {
  const port = options.port ?? (await freePort());
  const mount = options.mount ?? '/cam1';
  let sourcePort = await freePort();
  let server: ChildProcess | null = null;
  let publisher: ChildProcess | null = null;
  const launch = async () => {
    server = track(
      spawn(
        '/usr/bin/rtsp-server-perl',
        ['--clientport', String(port), '--serverport', String(sourcePort), '--client_listen_address', '127.0.0.1', '--source_listen_address', '127.0.0.1'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
      'rtsp-server-perl',
    );
    await waitForPort(port);
    await waitForPort(sourcePort);
    publisher = track(
      spawn(
        'ffmpeg',
        ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', options.clip, '-an', '-c', 'copy', '-f', 'rtsp', '-rtsp_transport', 'udp', `rtsp://127.0.0.1:${sourcePort}${mount}`],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
      'rtsp publisher',
    );
    await waitForStream(`rtsp://127.0.0.1:${port}${mount}`, 'udp');
  };
  await launch();
  const stop = async () => {
    await kill(publisher);
    await kill(server);
  };
  return {
    port,
    get pid() {
      return server?.pid;
    },
    url: () => `rtsp://127.0.0.1:${port}${mount}`,
    stop,
    restart: async () => {
      await stop();
      sourcePort = await freePort();
      await launch();
    },
    pause: () => server?.kill('SIGSTOP'),
    resume: () => server?.kill('SIGCONT'),
  };
}

/** Safety net for afterAll: kills every server and publisher this module started. */
export async function stopAllRtspServers(): Promise<void> {
  await Promise.all([...tracked].map((c) => kill(c)));
}
