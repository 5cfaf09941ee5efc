import v8 from 'node:v8';
import vm from 'node:vm';
import type { Disposable } from '../../shared/events/emitter';

/**
 * V8's full garbage collection, callable from this process: `globalThis.gc` when Node runs with `--expose-gc`,
 * else the same function taken from a fresh context after turning the flag on (what jest's leak detector does;
 * the flag only adds a global to contexts made after it, so nothing already running changes).
 */
export function fullGarbageCollector(): () => void {
  const own = (globalThis as { gc?: () => void }).gc;
  if (typeof own === 'function') return () => own();
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  return () => gc();
}

/**
 * A full collection every `intervalMs`, for a process that runs for weeks with a small live heap and a steady
 * stream of short-lived objects (a camera worker: headers, stats, tracker and motion objects for every frame;
 * the frames' bytes live outside the heap).
 *
 * Why: left to itself, V8 collected such a worker's young objects often and its old space rarely, and kept taking
 * new pages for the old space: `npm run bench -- --soak 60` measured 8 camera workers' RSS still climbing 40 MB an
 * hour after the 10th minute, while the live heap after a forced full collection stayed at 6-9 MB a worker. Side by
 * side over 10 minutes (2 workers each, one busy, one idle clip): without it their RSS went 128.3 -> 135.7 MB, with
 * a collection a minute 130.9 -> 131.7 MB, with one every 15 s 130.0 -> 131.9 MB at twice the extra CPU. The minute's
 * collection cost about 0.0007 cores a worker (within the noise of that run; an idle camera costs about 0.075).
 */
export function startHeapCompaction(intervalMs: number, collect: () => void = fullGarbageCollector()): Disposable {
  const timer = setInterval(collect, Math.max(1_000, intervalMs));
  timer.unref();
  return { dispose: () => clearInterval(timer) };
}
