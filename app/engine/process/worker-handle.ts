import readline from 'node:readline';
import { Emitter, type ListenerErrorLog } from '../../shared/events/emitter';
import { withoutWorkerMallocEnv, workerMallocEnv } from './malloc-env';
import { PARENT_PID_ENV } from './parent-port';
import type { WorkerExit, WorkerHandle, WorkerStartOptions } from './worker-starter';

/**
 * The one WorkerHandle, shared by both starters (node-worker-starter.ts: child_process.fork; Electron's
 * utility-process starter in app/main). A starter brings the process-specific parts (how to post a message,
 * how to kill) and reports what the process does (`received`, `exited`); the handle does the rest the same way
 * everywhere: listeners (a throwing one is logged, the others still run), sends dropped once the worker has
 * exited, the crash verdict, stop() = ask, then kill after the grace period.
 */
export interface WorkerProcessParts {
  name: string;
  pid(): number | undefined;
  /** Hands one message to the running worker (never called after its exit). Failures are the starter's to log. */
  post(message: unknown): void;
  /** Ends the process at once (SIGKILL where there are signals). */
  kill(): void;
  /** Where a throwing onMessage/onExit listener is reported. */
  log: ListenerErrorLog;
}

export interface BuiltWorkerHandle {
  handle: WorkerHandle;
  /** The starter calls this for each message from the worker. */
  received(message: unknown): void;
  /**
   * The starter calls this when the process is gone. The first call settles the exit (crashed unless it exited
   * with code 0 after stop()), tells the exit listeners and returns the exit; later calls return null.
   */
  exited(code: number | null, signal: string | null): WorkerExit | null;
}

export function buildWorkerHandle(parts: WorkerProcessParts): BuiltWorkerHandle {
  let stopRequested = false;
  let exit: WorkerExit | null = null;
  const messages = new Emitter<[message: unknown]>({ name: `worker ${parts.name} message`, log: parts.log });
  const exits = new Emitter<[exit: WorkerExit]>({ name: `worker ${parts.name} exit`, log: parts.log });
  let resolveExit!: (e: WorkerExit) => void;
  const exitedPromise = new Promise<WorkerExit>((r) => (resolveExit = r));

  const handle: WorkerHandle = {
    name: parts.name,
    get pid() {
      return parts.pid();
    },
    send(message) {
      if (!exit) parts.post(message);
    },
    onMessage: (listener) => messages.on(listener),
    onExit(listener) {
      if (exit) {
        const e = exit;
        queueMicrotask(() => listener(e));
        return { dispose() {} };
      }
      return exits.on(listener);
    },
    async stop(graceMs = 5_000) {
      if (exit) return exit;
      stopRequested = true;
      handle.send({ type: 'shutdown' });
      const timer = setTimeout(() => parts.kill(), graceMs);
      const e = await exitedPromise;
      clearTimeout(timer);
      return e;
    },
    kill() {
      if (!exit) parts.kill();
    },
  };

  return {
    handle,
    received: (message) => messages.emit(message),
    exited(code, signal) {
      if (exit) return null;
      exit = { code, signal, crashed: !(stopRequested && code === 0) };
      resolveExit(exit);
      exits.emit(exit);
      return exit;
    },
  };
}

/**
 * The environment of every worker, whichever starter: this process's, the allocator settings, the pid the
 * worker watches so it exits when this process dies (parent-port.ts's watchdog: an Electron utility process is
 * never told), then the caller's extras.
 */
export function workerEnvironment(o: Pick<WorkerStartOptions, 'env' | 'mallocTunables'>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = o.mallocTunables ? { ...process.env, ...workerMallocEnv() } : withoutWorkerMallocEnv(process.env);
  return { ...base, [PARENT_PID_ENV]: String(process.pid), ...extra, ...(o.env ?? {}) };
}

/** Calls `onLine` with each non-blank line of a worker's stdout or stderr. */
export function forEachOutputLine(stream: NodeJS.ReadableStream | null | undefined, onLine: (line: string) => void): void {
  if (!stream) return;
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    if (line.trim()) onLine(line);
  });
}
