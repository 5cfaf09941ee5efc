/**
 * Allocator settings for the inference worker (ONNX Runtime's detector threads).
 *
 * Frames are big (a 416x416 model input is 519 KB; a YOLOX output 1.2 MB) and come 10-100 times a second. With
 * glibc's defaults, blocks that size are mmap()ed and unmapped again, or a thread arena's free top is trimmed
 * back to the kernel, so the next frame faults every page in afresh. Page faults are dear on virtual machines:
 * measured on this project's 2-core VM, a detector thread took ~225 minor faults per frame and 17.5-19 ms of CPU;
 * with the settings below, 59 faults and 14.7-15 ms, same frames, same session. Steady frame traffic then reuses
 * the same memory; RSS stays at its working-set peak instead of breathing.
 *
 * Only there. Camera workers (and the ffmpeg they start) run with glibc's defaults: with these settings their RSS
 * kept growing for an hour (`npm run bench -- --soak`: 4 camera workers 284 -> 305 MB in 10 minutes, heap and
 * buffers flat), with glibc's defaults it stayed flat (246 -> 243 MB) at the same CPU per camera.
 *
 * Only glibc reads GLIBC_TUNABLES (Linux); other platforms get nothing. Tunables the user set win over ours.
 */
export const WORKER_MALLOC_TUNABLES: Readonly<Record<string, string>> = {
  // allocations below 32 MB come from the heap/arenas (reused), not fresh mappings
  'glibc.malloc.mmap_threshold': String(32 * 1024 * 1024),
  // free memory at the top of a heap is kept up to 256 MB instead of being handed back after each frame
  'glibc.malloc.trim_threshold': String(256 * 1024 * 1024),
};

/** The environment additions for a worker process: `{ GLIBC_TUNABLES }` on Linux, else nothing. */
export function workerMallocEnv(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Record<string, string> {
  if (platform !== 'linux') return {};
  const current = (env.GLIBC_TUNABLES ?? '').split(':').filter(Boolean);
  const set = new Set(current.map((t) => t.split('=')[0]));
  const ours = Object.entries(WORKER_MALLOC_TUNABLES)
    .filter(([k]) => !set.has(k))
    .map(([k, v]) => `${k}=${v}`);
  if (!ours.length) return {};
  return { GLIBC_TUNABLES: [...current, ...ours].join(':') };
}

/**
 * The environment for a process that must run with glibc's defaults: GLIBC_TUNABLES without the settings above
 * (a process started with them, such as the bench, would otherwise pass them on). Other tunables are kept.
 */
export function withoutWorkerMallocEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (!env.GLIBC_TUNABLES) return { ...env };
  const ours = new Set(Object.entries(WORKER_MALLOC_TUNABLES).map(([k, v]) => `${k}=${v}`));
  const rest = env.GLIBC_TUNABLES.split(':').filter((t) => t && !ours.has(t));
  const out = { ...env };
  if (rest.length) out.GLIBC_TUNABLES = rest.join(':');
  else delete out.GLIBC_TUNABLES;
  return out;
}

/** True when this process already runs with every worker tunable set (by us or the user). */
export function hasWorkerMallocEnv(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  return Object.keys(workerMallocEnv(env, platform)).length === 0;
}
