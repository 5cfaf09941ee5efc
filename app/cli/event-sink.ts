import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AnalyticsEvent } from '../shared/domain/analytics';
import { footageKeyOf as contentKeyOf, importFootageEvents } from '../engine/ledger/footage-import';
import { nullLogger } from '../engine/logging/logger';
import { openDatabase } from '../engine/storage/database';

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
  /** Recorded as the source of a camera the import creates. */
  sourcePath?: string;
  /** Detector id recorded on each event. */
  modelId?: string | null;
}

/**
 * Hex key of footage + rules: the file's content identity (first and last MiB and size, so a copied or renamed
 * file is the same footage) or the URL for streams, plus the rules text. Same footage and rules => same key =>
 * the ledger stores each event once however often the import runs.
 */
export function footageKeyOf(source: string, rulesText: string): string {
  const st = fs.statSync(source, { throwIfNoEntry: false });
  const identity = st?.isFile() ? contentKeyOf(source) : source;
  return crypto.createHash('sha256').update(`${identity}\n${rulesText}`).digest('hex');
}

/** --start default: the file's mtime (end of recording) minus its duration; now for non-files. */
export function defaultFootageStart(source: string, durationS: number | null): Date {
  const st = fs.statSync(source, { throwIfNoEntry: false });
  if (!st) return new Date();
  return new Date(st.mtimeMs - (durationS ?? 0) * 1000);
}

/** Events are handed to the ledger in batches of this many (each batch one transaction). */
const BATCH = 200;

/**
 * Streams the events into the data directory's ledger as they come, in batched transactions (a kill leaves whole
 * batches), deduplicated by the ledger (app/engine/ledger/footage-import.ts): re-running an import, or finishing
 * one that was killed half-way, stores every event exactly once.
 */
export function openFootageSink(imp: FootageImport): EventSink {
  const db = openDatabase({ dataDir: imp.dataDir, logger: nullLogger });
  const totals = { cameraId: '', seen: 0, inserted: 0, duplicates: 0 };
  let pending: AnalyticsEvent[] = [];
  let chain: Promise<void> = Promise.resolve();
  const flush = () => {
    const events = pending;
    pending = [];
    chain = chain.then(async () => {
      const r = await importFootageEvents({ db, cameraName: imp.cameraName, start: imp.start.toISOString(), footageKey: imp.footageKey, events, sourcePath: imp.sourcePath, modelId: imp.modelId ?? null, batchSize: BATCH });
      totals.cameraId = r.cameraId;
      totals.seen += r.seen;
      totals.inserted += r.inserted;
      totals.duplicates += r.duplicates;
    });
  };
  return {
    write: (e) => {
      pending.push(...e);
      if (pending.length >= BATCH) flush();
    },
    close: async () => {
      flush();
      try {
        await chain;
      } finally {
        db.close();
      }
      return `ledger import for camera "${imp.cameraName}": ${totals.inserted} new events, ${totals.duplicates} already stored (of ${totals.seen})`;
    },
  };
}
