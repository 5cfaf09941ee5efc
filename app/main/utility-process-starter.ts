import path from 'node:path';
import readline from 'node:readline';
import type { ForkOptions, UtilityProcess } from 'electron';
import type { Logger } from '../engine/logging/logger';
import { workerMallocEnv } from '../engine/process/malloc-env';
import { PARENT_PID_ENV } from '../engine/process/parent-port';
import type { Disposable, WorkerExit, WorkerHandle, WorkerStartOptions, WorkerStarter } from '../engine/process/worker-starter';

/** The parts of a utility process the starter uses. */
export type UtilityProcessLike = Pick<UtilityProcess, 'pid' | 'stdout' | 'stderr' | 'postMessage' | 'kill' | 'on' | 'once'>;
/** `utilityProcess` from electron (injected for tests). */
export interface UtilityProcessModule {
  fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityProcessLike;
}

export interface UtilityProcessStarterOptions {
  utilityProcess: UtilityProcessModule;
  /** Folder of the worker bundles (dist/node; inside app.asar when packaged: utility processes load scripts from the archive). */
  workersDir: string;
  logger: Logger;
}

/**
 * WorkerStarter for Electron: each worker is a utility process (`serviceName` = the worker's name) running
 * the same bundle as under plain Node. Its stdout/stderr go to the logger; killAll() on quit makes sure no
 * worker outlives the app.
 */
export class UtilityProcessStarter implements WorkerStarter {
  private readonly live = new Set<UtilityProcessLike>();
  constructor(private readonly o: UtilityProcessStarterOptions) {}

  get liveCount(): number {
    return this.live.size;
  }

  start(opts: WorkerStartOptions): WorkerHandle {
    const child = this.o.utilityProcess.fork(path.join(this.o.workersDir, opts.entry), opts.args ?? [], {
      serviceName: `Watchroom ${opts.name}`,
      stdio: 'pipe',
      // the worker watches this pid and exits when it is gone: parentPort never reports the main process's death
      env: { ...process.env, ...workerMallocEnv(), [PARENT_PID_ENV]: String(process.pid), ...(opts.env ?? {}) } as ForkOptions['env'],
    });
    this.live.add(child);
    const log = this.o.logger.child({ worker: opts.name });
    const lines = (stream: NodeJS.ReadableStream | null, level: 'info' | 'warn') => {
      if (!stream) return;
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (l) => l.trim() && log[level](l, { pid: child.pid }));
    };
    lines(child.stdout, 'info');
    lines(child.stderr, 'warn');

    let stopRequested = false;
    let exit: WorkerExit | null = null;
    const exitListeners = new Set<(e: WorkerExit) => void>();
    const messageListeners = new Set<(m: unknown) => void>();
    let resolveExit!: (e: WorkerExit) => void;
    const exited = new Promise<WorkerExit>((r) => (resolveExit = r));

    child.on('message', (m: unknown) => messageListeners.forEach((l) => l(m)));
    child.once('exit', (code: number) => {
      if (exit) return;
      this.live.delete(child);
      exit = { code, signal: null, crashed: !(stopRequested && code === 0) };
      if (exit.crashed) log.warn('worker exited', { code });
      resolveExit(exit);
      for (const l of [...exitListeners]) {
        try {
          l(exit);
        } catch (err) {
          log.error('exit listener failed', { err });
        }
      }
    });

    const handle: WorkerHandle = {
      name: opts.name,
      get pid() {
        return child.pid;
      },
      send(message) {
        if (exit) return;
        try {
          child.postMessage(message);
        } catch (err) {
          log.debug('send failed', { err });
        }
      },
      onMessage(listener): Disposable {
        messageListeners.add(listener);
        return { dispose: () => void messageListeners.delete(listener) };
      },
      onExit(listener): Disposable {
        if (exit) {
          const e = exit;
          queueMicrotask(() => listener(e));
          return { dispose() {} };
        }
        exitListeners.add(listener);
        return { dispose: () => void exitListeners.delete(listener) };
      },
      async stop(graceMs = 5000) {
        if (exit) return exit;
        stopRequested = true;
        handle.send({ type: 'shutdown' });
        const timer = setTimeout(() => child.kill(), graceMs);
        const e = await exited;
        clearTimeout(timer);
        return e;
      },
      kill() {
        if (!exit) child.kill();
      },
    };
    return handle;
  }

  /** Hard-kills every worker still running (app quit). */
  killAll(): void {
    for (const c of [...this.live]) {
      try {
        c.kill();
      } catch {}
    }
  }
}
