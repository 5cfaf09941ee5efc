import { fork, type ChildProcess } from 'node:child_process';
import type net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import type { Logger } from '../logging/logger';
import { workersDir } from './app-paths';
import { BINARY_FD, BINARY_FD_ENV, readBinaryMessages } from './binary-channel';
import { workerMallocEnv } from './malloc-env';
import { PARENT_PID_ENV } from './parent-port';
import type { Disposable, WorkerExit, WorkerHandle, WorkerStartOptions, WorkerStarter } from './worker-starter';

/** Options of createNodeWorkerStarter. */
export interface NodeWorkerStarterOptions {
  /** Folder holding the worker bundles (default workersDir(): <appRoot>/dist/node or WATCHROOM_WORKERS_DIR). */
  dir?: string;
  /** Where worker output goes; default: written to this process's stderr. */
  logger?: Logger;
  /** Extra Node flags for the workers (e.g. ['--enable-source-maps']). */
  execArgv?: string[];
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of live) {
      try {
        c.kill('SIGKILL');
      } catch {}
    }
  });
}

/**
 * WorkerStarter for plain Node hosts (headless host, CLIs, tests): child_process.fork of a bundle in the
 * workers folder with the `advanced` serialization (Buffers and typed arrays pass intact). The worker's
 * stdout/stderr are piped and logged line by line with a `[name pid]` prefix. Workers exit when their IPC
 * channel disconnects or this pid (WATCHROOM_PARENT_PID) is gone (parent-port.ts), so they never outlive this
 * process; a `process.on('exit')` hook here also SIGKILLs any still running.
 */
export function createNodeWorkerStarter(options: NodeWorkerStarterOptions = {}): WorkerStarter {
  return { start: (o) => startNodeWorker(o, options) };
}

function startNodeWorker(o: WorkerStartOptions, options: NodeWorkerStarterOptions): WorkerHandle {
  installExitHook();
  const file = path.join(options.dir ?? workersDir(), o.entry);
  const child = fork(file, o.args ?? [], {
    serialization: 'advanced',
    // fd 4: the binary side channel (binary-channel.ts) when asked for
    stdio: o.binaryMessages ? ['ignore', 'pipe', 'pipe', 'ipc', 'pipe'] : ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...workerMallocEnv(), [PARENT_PID_ENV]: String(process.pid), ...(o.binaryMessages ? { [BINARY_FD_ENV]: String(BINARY_FD) } : {}), ...(o.env ?? {}) },
    execArgv: options.execArgv ?? ['--enable-source-maps'],
  });
  live.add(child);
  const prefix = `[${o.name} ${child.pid ?? '?'}]`;
  const pipeLines = (stream: Readable | null, level: 'info' | 'warn') => {
    if (!stream) return;
    const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
    rl.on('line', (line) => {
      if (!line.trim()) return;
      if (options.logger) options.logger[level](`${prefix} ${line}`, { worker: o.name, pid: child.pid });
      else process.stderr.write(`${prefix} ${line}\n`);
    });
  };
  pipeLines(child.stdout, 'info');
  pipeLines(child.stderr, 'warn');

  let stopRequested = false;
  let exit: WorkerExit | null = null;
  const exitListeners = new Set<(e: WorkerExit) => void>();
  const messageListeners = new Set<(m: unknown) => void>();
  const exited = new Promise<WorkerExit>((resolve) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      if (exit) return;
      live.delete(child);
      exit = { code, signal, crashed: !(stopRequested && code === 0) };
      resolve(exit);
      for (const l of [...exitListeners]) {
        try {
          l(exit);
        } catch {}
      }
    };
    child.once('exit', onExit);
    child.on('error', (e) => {
      // Only a failed spawn (no pid) goes without an 'exit'; other errors (a failed send or kill) are followed by one.
      if (child.pid !== undefined) return;
      process.stderr.write(`${prefix} failed to start: ${e.message}\n`);
      onExit(1, null);
    });
  });
  child.on('message', (m) => {
    for (const l of [...messageListeners]) l(m);
  });
  const binary = o.binaryMessages ? (child.stdio[BINARY_FD] as net.Socket | null) : null;
  if (binary) {
    readBinaryMessages(
      binary,
      (m) => {
        for (const l of [...messageListeners]) l(m);
      },
      (e) => process.stderr.write(`${prefix} bad binary message: ${e.message}\n`),
    );
  }

  const handle: WorkerHandle = {
    name: o.name,
    get pid() {
      return child.pid;
    },
    send(message) {
      if (exit || !child.connected) return;
      try {
        child.send(message as never, (err) => {
          if (err && !exit) process.stderr.write(`${prefix} send failed: ${err.message}\n`);
        });
      } catch {}
    },
    onMessage(listener): Disposable {
      messageListeners.add(listener);
      return { dispose: () => messageListeners.delete(listener) };
    },
    onExit(listener): Disposable {
      if (exit) {
        const e = exit;
        queueMicrotask(() => listener(e));
        return { dispose() {} };
      }
      exitListeners.add(listener);
      return { dispose: () => exitListeners.delete(listener) };
    },
    async stop(graceMs = 5_000) {
      if (exit) return exit;
      stopRequested = true;
      handle.send({ type: 'shutdown' });
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const e = await exited;
      clearTimeout(timer);
      return e;
    },
    kill() {
      if (!exit) child.kill('SIGKILL');
    },
  };
  return handle;
}
