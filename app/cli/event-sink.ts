import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AnalyticsEvent } from '../shared/domain/analytics';

/** Where `analyze --data-dir` puts the rule events of a piece of footage. */
export interface EventSink {
  /** Events of one analysed frame (stream times in seconds from the footage start). */
  write(events: readonly AnalyticsEvent[]): void;
  /** Flushes everything; returns a one-line human description of what was stored. */
  close(): Promise<string>;
}

/** What identifies one footage import (the ledger dedupes re-imports of the same footage by these). */
export interface FootageImport {
  dataDir: string;
  /** Camera the footage is filed under (--camera; default: the file name without extension). */
  cameraName: string;
  /** Wall-clock time of stream time 0 (--start; default: file mtime minus its duration). */
  start: Date;
  /** Stable key of the footage + rules (same file and rules => same key => idempotent re-import). */
  footageKey: string;
}

/** sha256 of the source's absolute path, size, mtime and the rules text: re-running the same import dedupes. */
export function footageKeyOf(source: string, rulesText: string): string {
  const abs = path.resolve(source);
  const st = fs.statSync(abs, { throwIfNoEntry: false });
  const h = crypto.createHash('sha256').update(`${abs}\n${st?.size ?? ''}\n${st?.mtimeMs ?? ''}\n${rulesText}`);
  return `footage:${h.digest('hex').slice(0, 32)}`;
}

/** --start default: the file's mtime (end of recording) minus its duration; now for non-files. */
export function defaultFootageStart(source: string, durationS: number | null): Date {
  const st = fs.statSync(source, { throwIfNoEntry: false });
  if (!st) return new Date();
  return new Date(st.mtimeMs - (durationS ?? 0) * 1000);
}

/**
 * Collects the events and hands them over in one batch on close.
 *
 * LEDGER WIRING POINT (single place): when app/engine/ledger/footage-import.ts lands (branch `ledger`), replace
 * the body of `openFootageSink` with: open the data dir's ledger database, then on close call
 * `importFootageEvents({ db, cameraName, start, footageKey, events })` and close the db. Until then the events go
 * to `<dataDir>/footage-imports/<footageKey>.jsonl` (one JSON header line, then one line per event), rewritten
 * whole on each run so re-imports stay idempotent. No ledger tables are created here.
 */
export function openFootageSink(imp: FootageImport): EventSink {
  const events: AnalyticsEvent[] = [];
  return {
    write: (e) => void events.push(...e),
    close: async () => {
      const dir = path.join(imp.dataDir, 'footage-imports');
      await fs.promises.mkdir(dir, { recursive: true });
      const file = path.join(dir, `${imp.footageKey.replace(/[^A-Za-z0-9_-]/g, '_')}.jsonl`);
      const header = { cameraName: imp.cameraName, start: imp.start.toISOString(), footageKey: imp.footageKey, events: events.length };
      const lines = [JSON.stringify(header), ...events.map((e) => JSON.stringify(e))];
      await fs.promises.writeFile(`${file}.tmp`, `${lines.join('\n')}\n`);
      await fs.promises.rename(`${file}.tmp`, file);
      return `${events.length} events of camera "${imp.cameraName}" written to ${file} (ledger import not in this build)`;
    },
  };
}
