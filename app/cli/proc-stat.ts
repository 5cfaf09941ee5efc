import fs from 'node:fs';

/** CPU seconds (user+system) and RSS of a live process from /proc (Linux); null elsewhere or once it has gone. */
export interface ProcSample {
  cpuS: number;
  rssBytes: number;
}

const TICKS = 100; // USER_HZ on Linux
const PAGE = 4096;

export function procSample(pid: number | undefined): ProcSample | null {
  if (!pid || process.platform !== 'linux') return null;
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // fields after ")" start at field 3 (state): utime = field 14, stime = 15, rss = 24
    return { cpuS: (Number(f[11]) + Number(f[12])) / TICKS, rssBytes: Number(f[21]) * PAGE };
  } catch {
    return null;
  }
}

/**
 * The private part of a process's RSS (anonymous pages: heaps, stacks, buffers), without the pages of the program
 * and its libraries mapped from disk, which are shared, grow as new code paths first run, and are no leak. 0 when
 * unknown (not Linux, or the process has gone).
 */
export function procPrivateBytes(pid: number | undefined): number {
  if (!pid || process.platform !== 'linux') return 0;
  try {
    return Number(/^RssAnon:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** This process's own CPU seconds. */
export function selfCpuS(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
