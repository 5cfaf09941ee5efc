import { BINARY_FD_ENV, openBinaryWriter } from './binary-channel';

/**
 * Worker side of the worker channel: Electron utility processes get `process.parentPort` (MessagePort-like),
 * Node children forked with IPC get `process.send`. Detected at run time, so the engine never imports electron.
 */
export interface ParentChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /**
   * Sends a big message over the binary side channel when the host opened one (binary-channel.ts): `body` travels
   * as raw bytes and arrives under `field`. Returns false when the message was dropped because the host is not
   * keeping up. Undefined when there is no such channel: use `send`.
   */
  sendWithBody?(message: Record<string, unknown>, field: string, body: Uint8Array): boolean;
  /**
   * Calls `listener` once when the parent process is gone (killed, crashed), so the worker can stop its ffmpeg
   * and exit: the IPC channel's 'disconnect' under a Node parent, and for every starter a watchdog on the
   * parent's pid (see watchParent): an Electron utility process talks through `process.parentPort`, which
   * never reports that the main process died.
   */
  onParentGone(listener: () => void): void;
}

/** The env variable in which a starter tells its worker the pid to watch (the host's own pid). */
export const PARENT_PID_ENV = 'WATCHROOM_PARENT_PID';
const PARENT_CHECK_MS = 1_000;

/** True while a process with this pid exists (`kill(pid, 0)`: ESRCH = gone, EPERM = exists, not ours). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Polls for the parent's death: the pid named in WATCHROOM_PARENT_PID (else process.ppid) no longer exists,
 * or (POSIX) this process was re-parented (its ppid changed: the parent died and init or a subreaper adopted
 * it). Works the same on Windows, where kill(pid, 0) asks whether the process is still running. The timer is
 * unref'd: it never keeps a worker alive on its own.
 */
export function watchParent(onGone: () => void, opts: { parentPid?: number; everyMs?: number } = {}): { stop(): void } {
  const fromEnv = Number(process.env[PARENT_PID_ENV]);
  const parentPid = opts.parentPid ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : process.ppid);
  const initialPpid = process.ppid;
  let fired = false;
  const timer = setInterval(() => {
    if (fired) return;
    const reparented = process.platform !== 'win32' && process.ppid !== initialPpid;
    if (!reparented && pidAlive(parentPid)) return;
    fired = true;
    clearInterval(timer);
    onGone();
  }, opts.everyMs ?? PARENT_CHECK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** One listener list for every way the parent's death is noticed; each listener runs once. */
function parentGoneNotifier(extra?: (fire: () => void) => void): (listener: () => void) => void {
  const listeners: (() => void)[] = [];
  let gone = false;
  let watching = false;
  const fire = () => {
    if (gone) return;
    gone = true;
    for (const l of listeners.splice(0)) l();
  };
  return (listener) => {
    if (gone) return void queueMicrotask(listener);
    listeners.push(listener);
    if (watching) return;
    watching = true;
    watchParent(fire);
    extra?.(fire);
  };
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function getParentChannel(): ParentChannel {
  const pp = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (pp) {
    return {
      send: (m) => pp.postMessage(m),
      onMessage: (l) => pp.on('message', (e) => l(e.data)),
      // parentPort has no 'close' or 'disconnect' when the main process dies: the pid watchdog notices
      onParentGone: parentGoneNotifier(),
    };
  }
  if (typeof process.send === 'function') {
    const fd = process.env[BINARY_FD_ENV];
    const binary = fd ? openBinaryWriter(Number(fd)) : null;
    return {
      send: (m) => {
        if (process.connected) process.send!(m);
      },
      onMessage: (l) => process.on('message', (m) => l(m)),
      onParentGone: parentGoneNotifier((fire) => process.once('disconnect', fire)),
      ...(binary ? { sendWithBody: (m: Record<string, unknown>, field: string, body: Uint8Array) => binary.send(m, field, body) } : {}),
    };
  }
  throw new Error('This worker must be started by the Watchroom engine (no parent channel).');
}
