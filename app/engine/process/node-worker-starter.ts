import { fork, type ChildProcess } from 'node:child_process';
import type net from 'node:net';
import path from 'node:path';
import type { Logger } from '../logging/logger';
import { workersDir } from './app-paths';
import { BINARY_FD, BINARY_FD_ENV, readBinaryMessages } from './binary-channel';
import { buildWorkerHandle, forEachOutputLine, workerEnvironment } from './worker-handle';
import type { WorkerHandle, WorkerStartOptions, WorkerStarter } from './worker-starter';

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
    env: workerEnvironment(o, o.binaryMessages ? { [BINARY_FD_ENV]: String(BINARY_FD) } : {}),
    execArgv: options.execArgv ?? ['--enable-source-maps'],
  });
  live.add(child);
  const prefix = `[${o.name} ${child.pid ?? '?'}]`;
  const writeLine = (level: 'info' | 'warn' | 'error', line: string, fields?: Record<string, unknown>) => {
    if (options.logger) options.logger[level](`${prefix} ${line}`, { worker: o.name, pid: child.pid, ...fields });
    else process.stderr.write(`${prefix} ${line}${fields?.err ? `: ${String(fields.err)}` : ''}\n`);
  };
  forEachOutputLine(child.stdout, (line) => writeLine('info', line));
  forEachOutputLine(child.stderr, (line) => writeLine('warn', line));

  const { handle, received, exited } = buildWorkerHandle({
    name: o.name,
    pid: () => child.pid,
    post(message) {
      if (!child.connected) return;
      try {
        child.send(message as never, (err) => {
          if (err && live.has(child)) process.stderr.write(`${prefix} send failed: ${err.message}\n`);
        });
      } catch {}
    },
    kill: () => child.kill('SIGKILL'),
    log: { error: (msg, fields) => writeLine('error', msg, fields) },
  });
  const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
    live.delete(child);
    exited(code, signal);
  };
  child.once('exit', onExit);
  child.on('error', (e) => {
    // Only a failed spawn (no pid) goes without an 'exit'; other errors (a failed send or kill) are followed by one.
    if (child.pid !== undefined) return;
    process.stderr.write(`${prefix} failed to start: ${e.message}\n`);
    onExit(1, null);
  });
  child.on('message', received);
  const binary = o.binaryMessages ? (child.stdio[BINARY_FD] as net.Socket | null) : null;
  if (binary) readBinaryMessages(binary, received, (e) => process.stderr.write(`${prefix} bad binary message: ${e.message}\n`));
  return handle;
}
