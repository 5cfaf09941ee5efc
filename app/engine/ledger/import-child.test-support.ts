import { nullLogger } from '../logging/logger';
import { openDatabase } from '../storage/database';
import { importFootageEvents, type FootageEvent } from './footage-import';

/** Test child: imports N synthetic events into <dataDir>, printing "batch <seen>" after each committed batch. */
export const SYNTHETIC_COUNT = 10_000;
export const SYNTHETIC_BATCH = 250;
export const SYNTHETIC_KEY = 'ab'.repeat(32);
export const SYNTHETIC_START = '2026-11-20T08:00:00.000Z';

export async function* syntheticEvents(n = SYNTHETIC_COUNT): AsyncGenerator<FootageEvent> {
  for (let i = 0; i < n; i++) {
    if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    const zone = i % 3 === 0;
    yield zone
      ? { type: i % 2 ? 'zone.enter' : 'zone.exit', rule: 'lobby', track: i, t: i * 0.05, cls: 'person', score: 0.8 }
      : { type: 'line.cross', rule: 'door', dir: i % 2 ? 'in' : 'out', track: i, t: i * 0.05, cls: 'person', score: 0.9 };
  }
}

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: import-child <dataDir>');
  const db = openDatabase({ dataDir, logger: nullLogger });
  await importFootageEvents({
    db,
    cameraName: 'Lobby (imported)',
    start: SYNTHETIC_START,
    footageKey: SYNTHETIC_KEY,
    events: syntheticEvents(),
    batchSize: SYNTHETIC_BATCH,
    onBatch: (seen) => process.stdout.write(`batch ${seen}\n`),
  });
  db.close();
  process.stdout.write('done\n');
}

if (process.env.WATCHROOM_IMPORT_CHILD === '1') {
  main().catch((err) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
