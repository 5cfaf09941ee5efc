import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsInvoke, type ReviewRow } from '../../shared/ipc/events.contract';
import { AlarmStore } from '../alarms/alarm-store';
import { LedgerRepository } from '../ledger/ledger.repository';
import { nullLogger } from '../logging/logger';
import { openDatabase, type Db } from '../storage/database';
import { reviewEvents, reviewMs } from './events-review';

const T = Date.UTC(2026, 10, 23, 10, 0);
const dbs: Db[] = [];
const dirs: string[] = [];
afterEach(() => {
  dbs.splice(0).forEach((d) => d.close());
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

/** 5 line crossings (T, T+1s … T+4s) on cam-a; a rule alarm on cam-a opened, acknowledged and closed; a health alarm on cam-b. */
function seed() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-review-'));
  dirs.push(dir);
  const db = openDatabase({ dataDir: dir, logger: nullLogger });
  dbs.push(db);
  const ledger = new LedgerRepository(db, () => new Date(T));
  ledger.append(
    [0, 1, 2, 3, 4].map((i) => ({ cameraId: 'cam-a', ruleId: 'door', trackId: i, cls: 'person', type: 'line.cross' as const, direction: 'in' as const, confidence: 0.9, frameMs: T + i * 1000, source: 'live' as const })),
  );
  let now = T + 500;
  const store = new AlarmStore(db, () => now);
  store.open({ kind: 'health', cameraId: 'cam-b', condition: 'offline', priority: 2 }, 'system');
  now = T + 1500;
  const a = store.open({ kind: 'rule', cameraId: 'cam-a', ruleId: 'door', trackId: 1, eventId: null, type: 'zone.intrusion', priority: 3, snapshot: null }, 'system').alarm;
  now = T + 2500;
  store.transition(a.id, 'acknowledge', 'olga');
  now = T + 3500;
  store.transition(a.id, 'close', 'olga', { outcome: 'false-alarm', comment: 'cat' });
  return { db, ledger };
}

function all(db: Db, ledger: LedgerRepository, input: Record<string, unknown>): ReviewRow[] {
  const rows: ReviewRow[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 50; n++) {
    const i = eventsInvoke['events:review'].input.parse({ ...input, ...(cursor ? { cursor } : {}) });
    const page = reviewEvents(db, ledger, i);
    rows.push(...page.rows);
    if (page.nextCursor === null) return rows;
    cursor = page.nextCursor;
  }
  throw new Error('paging did not end');
}

describe('events review (ledger events and alarm history merged)', () => {
  it('pages every kind newest first with small pages, without duplicates or gaps', () => {
    const { db, ledger } = seed();
    for (const limit of [1, 2, 3, 100]) {
      const rows = all(db, ledger, { limit });
      expect(rows).toHaveLength(9);
      const times = rows.map(reviewMs);
      expect([...times].sort((x, y) => y - x)).toEqual(times);
      expect(new Set(rows.map((r) => (r.kind === 'ledger' ? r.id : r.key))).size).toBe(9);
    }
    const steps = all(db, ledger, { limit: 2, types: ['alarm'] });
    expect(steps.map((r) => (r.kind === 'alarm' ? [r.action, r.toStatus, r.by, r.outcome] : null))).toEqual([
      ['close', 'closed', 'olga', 'false-alarm'],
      ['acknowledge', 'acknowledged', 'olga', null],
      ['open', 'new', 'system', null],
    ]);
  });

  it('filters by type, camera, rule and time range across kinds', () => {
    const { db, ledger } = seed();
    expect(all(db, ledger, { types: ['health'] })).toMatchObject([{ kind: 'alarm', type: 'health', condition: 'offline', cameraId: 'cam-b' }]);
    expect(all(db, ledger, { types: ['line.cross'] }).every((r) => r.kind === 'ledger')).toBe(true);
    expect(all(db, ledger, { types: ['line.cross', 'health'] })).toHaveLength(6);
    expect(all(db, ledger, { cameraId: 'cam-b' })).toHaveLength(1);
    expect(all(db, ledger, { ruleId: 'door' })).toHaveLength(8);
    expect(all(db, ledger, { from: T + 1000, to: T + 3000 }).map(reviewMs)).toEqual([T + 2500, T + 2000, T + 1500, T + 1000]);
    expect(all(db, ledger, { types: ['zone.exit'] })).toEqual([]);
  });
});
