import { describe, expect, it } from 'vitest';
import { hasWorkerMallocEnv, withoutWorkerMallocEnv, workerMallocEnv } from './malloc-env';

describe('workerMallocEnv', () => {
  it('sets glibc tunables on Linux only', () => {
    expect(workerMallocEnv({}, 'linux')).toEqual({ GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456' });
    expect(workerMallocEnv({}, 'win32')).toEqual({});
    expect(workerMallocEnv({}, 'darwin')).toEqual({});
  });
  it("keeps the user's tunables and never overrides one they set", () => {
    const env = { GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=1000:glibc.malloc.arena_max=2' };
    expect(workerMallocEnv(env, 'linux')).toEqual({ GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=1000:glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=33554432' });
    expect(hasWorkerMallocEnv(env, 'linux')).toBe(false);
    const full = { GLIBC_TUNABLES: workerMallocEnv({}, 'linux').GLIBC_TUNABLES };
    expect(workerMallocEnv(full, 'linux')).toEqual({});
    expect(hasWorkerMallocEnv(full, 'linux')).toBe(true);
  });
  it('takes our settings out again for processes that run with glibc defaults, keeping anything else', () => {
    const ours = workerMallocEnv({}, 'linux').GLIBC_TUNABLES!;
    expect(withoutWorkerMallocEnv({ GLIBC_TUNABLES: ours, X: '1' })).toEqual({ X: '1' });
    expect(withoutWorkerMallocEnv({ GLIBC_TUNABLES: `glibc.malloc.arena_max=2:${ours}` })).toEqual({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' });
    expect(withoutWorkerMallocEnv({ GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=1000' })).toEqual({ GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=1000' });
  });
});
