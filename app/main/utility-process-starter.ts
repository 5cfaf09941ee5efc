import path from 'node:path';
import type { ForkOptions, UtilityProcess } from 'electron';
import type { Logger } from '../engine/logging/logger';
import { buildWorkerHandle, forEachOutputLine, workerEnvironment } from '../engine/process/worker-handle';
import type { WorkerHandle, WorkerStartOptions, WorkerStarter } from '../engine/process/worker-starter';

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
      env: workerEnvironment(opts) as ForkOptions['env'],
    });
    this.live.add(child);
    const log = this.o.logger.child({ worker: opts.name });
    forEachOutputLine(child.stdout, (line) => log.info(line, { pid: child.pid }));
    forEachOutputLine(child.stderr, (line) => log.warn(line, { pid: child.pid }));

    const { handle, received, exited } = buildWorkerHandle({
      name: opts.name,
      pid: () => child.pid,
      post(message) {
        try {
          child.postMessage(message);
        } catch (err) {
          log.debug('send failed', { err });
        }
      },
      kill: () => child.kill(),
      log,
    });
    child.on('message', (m: unknown) => received(m));
    child.once('exit', (code: number) => {
      this.live.delete(child);
      const exit = exited(code, null);
      if (exit?.crashed) log.warn('worker exited', { code });
    });
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
