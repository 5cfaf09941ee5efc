import { LedgerRepository, type LedgerEventInput } from '../ledger/ledger.repository';
import { nullLogger } from '../logging/logger';
import { openDatabase } from '../storage/database';
import { plaintextSecretBox } from '../storage/secret-box';
import { ExportService } from './export.service';

/**
 * Test child (the app, as far as export goes): opens <dataDir>, runs the export service and, with `produce N`,
 * appends N ledger rows in small transactions while delivery runs. Prints "produced <n>" as it goes. The test
 * SIGKILLs it in the middle of delivery and starts it again without producing.
 */
async function main(): Promise<void> {
  const [dataDir, mode, nArg] = process.argv.slice(2);
  const db = openDatabase({ dataDir: dataDir!, logger: nullLogger });
  const svc = new ExportService({ db, secretBox: plaintextSecretBox, logger: nullLogger, idleMs: 50, baseBackoffMs: 100 });
  const ledger = new LedgerRepository(db, undefined, svc.onLedgerRowInTx);
  svc.start();
  if (mode === 'produce') {
    const n = Number(nArg);
    let frameMs = Date.UTC(2026, 10, 21, 9, 0, 0);
    for (let i = 0; i < n; i += 20) {
      const batch: LedgerEventInput[] = [];
      for (let j = i; j < Math.min(n, i + 20); j++) {
        frameMs += 5;
        batch.push({ cameraId: `cam-${j % 4}`, ruleId: 'door', trackId: j + 1, cls: 'person', type: 'line.cross', direction: j % 2 ? 'in' : 'out', confidence: 0.8, frameMs, source: 'live' });
      }
      ledger.append(batch);
      process.stdout.write(`produced ${Math.min(n, i + 20)}\n`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  process.stdout.write('ready\n');
  // Runs until killed (the test ends it).
  setInterval(() => undefined, 1000);
}

if (process.env.WATCHROOM_EXPORT_CHILD === '1') void main();
