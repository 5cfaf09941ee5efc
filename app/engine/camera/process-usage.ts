import fs from 'node:fs';
import type { ProcessUsage } from './camera-worker-protocol';

/**
 * CPU % and RSS sampling: the worker's own process through process.cpuUsage()/memoryUsage(), a child (ffmpeg)
 * through /proc/<pid>/stat on Linux (elsewhere: undefined, and the figure is omitted).
 */
export class SelfUsageSampler {
  private last = process.cpuUsage();
  private lastAt = process.hrtime.bigint();

  sample(): ProcessUsage {
    const cpu = process.cpuUsage();
    const at = process.hrtime.bigint();
    const usedUs = cpu.user - this.last.user + (cpu.system - this.last.system);
    const wallUs = Number(at - this.lastAt) / 1000;
    this.last = cpu;
    this.lastAt = at;
    return { pid: process.pid, cpuPercent: wallUs > 0 ? round1((100 * usedUs) / wallUs) : 0, rssBytes: process.memoryUsage.rss() };
  }
}

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on every mainstream Linux build). */
const CLK_TCK = 100;
const PAGE_SIZE = 4096;

export class ProcStatSampler {
  private last: { ticks: number; at: number } | null = null;

  constructor(readonly pid: number) {}

  /** undefined when not on Linux or the process is gone. */
  sample(now = Date.now()): ProcessUsage | undefined {
    if (process.platform !== 'linux') return undefined;
    let text: string;
    try {
      text = fs.readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state): utime = field 14, stime = 15, rss = 24.
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    const rssPages = Number(rest[21]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    const ticks = utime + stime;
    let cpuPercent = 0;
    if (this.last && now > this.last.at) cpuPercent = round1(((ticks - this.last.ticks) / CLK_TCK) * 1000 * 100 / (now - this.last.at));
    this.last = { ticks, at: now };
    return { pid: this.pid, cpuPercent, rssBytes: Number.isFinite(rssPages) ? rssPages * PAGE_SIZE : 0 };
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
