/**
 * How the engine starts its worker processes without knowing the host: the headless host and tests use
 * child_process.fork (node-worker-starter.ts); Electron's main uses utilityProcess.fork (app/main). The same
 * worker bundle (dist/node/<entry>) runs under both; see parent-port.ts for the worker side.
 */
import type { Disposable } from '../../shared/events/emitter';

export type { Disposable };

export interface WorkerExit {
  /** Exit code, null when killed by a signal. */
  code: number | null;
  signal: string | null;
  /** true unless the worker exited with code 0 after being asked to stop. */
  crashed: boolean;
}

export interface WorkerHandle {
  readonly name: string;
  readonly pid: number | undefined;
  /** Structured-clone message (Buffers/Uint8Arrays allowed). Dropped silently once the worker has exited. */
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): Disposable;
  onExit(listener: (exit: WorkerExit) => void): Disposable;
  /** Asks nicely (message {type:'shutdown'}), then kills after `graceMs`. Resolves when the process is gone. */
  stop(graceMs?: number): Promise<WorkerExit>;
  /** Immediate hard kill. */
  kill(): void;
}

export interface WorkerStartOptions {
  /** For logs: `camera:<id>`, `inference`. */
  name: string;
  /** Bundle file name in the workers folder, e.g. `camera-worker.cjs`. */
  entry: string;
  args?: string[];
  env?: Record<string, string>;
  /**
   * A second, binary channel from the worker for big messages (camera frames): where the host supports it, the
   * worker's `ParentChannel.sendWithBody` writes them to a pipe as raw bytes beside a JSON header (no structured
   * clone of the JPEG), and they reach `onMessage` listeners as the same message objects, the body a Buffer.
   * Messages on the two channels are not ordered with each other. Hosts without it (Electron's utility processes)
   * leave `sendWithBody` undefined and the worker sends as usual.
   */
  binaryMessages?: boolean;
  /** Run with the allocator settings of `malloc-env.ts` (the inference worker); others get glibc's defaults. */
  mallocTunables?: boolean;
}

export interface WorkerStarter {
  start(options: WorkerStartOptions): WorkerHandle;
}
