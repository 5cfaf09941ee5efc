import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AuditTrail } from '../engine/auth/audit-trail';
import { AuditSeal } from '../engine/audit/audit-seal';
import { exportEvidence } from '../engine/evidence/evidence-export';
import { auditRowLookup, databaseEvidenceSources } from '../engine/evidence/evidence-sources';
import { verifyEvidenceFolder } from '../engine/evidence/evidence-verify';
import { nullLogger } from '../engine/logging/logger';
import { SegmentIndex } from '../engine/recording/segment-index';
import { DB_FILE, openDatabase } from '../engine/storage/database';
import { AppErrorException } from '../shared/ipc/envelope';

export const EVIDENCE_HELP = `Usage:
  npm run evidence -- export --data-dir <dir> --camera <name>[,<name>…] --from <ISO> --to <ISO> --reason <text> --out <folder>
  npm run evidence -- verify <folder> [--data-dir <dir>]
export writes a new evidence folder <folder> (it must not exist; its parent must): one MP4 per camera with the
privacy masks burned in, events.csv, snapshots, summary.pdf and manifest.json (SHA-256 of every file, the audit
row that recorded the export). verify checks every hash and names each file changed, missing or added (with
--data-dir also against the export's audit row). One line of JSON on stdout. Exit status: 0 done / intact,
1 verify found a change, 2 bad input (nothing is written).`;

/** The evidence CLI without process globals: resolves to the exit status, writes through `out`/`err`. */
export async function runEvidenceCli(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const badInput = (message: string) => {
    out(`${JSON.stringify({ ok: false, error: message })}\n`);
    err(`error: ${message}\n`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        camera: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        reason: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (e) {
    err(`${EVIDENCE_HELP}\n`);
    return badInput((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(`${EVIDENCE_HELP}\n`);
    return 0;
  }
  const dataDir = values['data-dir'];
  if (positionals[0] === 'verify' && positionals.length === 2) {
    const folder = path.resolve(positionals[1]!);
    if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) return badInput(`There is no folder ${folder}.`);
    let lookup;
    let db = null;
    if (dataDir) {
      if (!fs.existsSync(path.join(dataDir, DB_FILE))) return badInput(`No Watchroom database in ${dataDir}.`);
      db = openDatabase({ dataDir, logger: nullLogger });
      lookup = auditRowLookup(db);
    }
    try {
      const r = verifyEvidenceFolder(folder, lookup);
      out(`${JSON.stringify(r)}\n`);
      return r.state === 'intact' ? 0 : 1;
    } finally {
      db?.close();
    }
  }
  if (positionals[0] !== 'export' || positionals.length !== 1) {
    err(`${EVIDENCE_HELP}\n`);
    return badInput('Say export or verify <folder>.');
  }
  const missing = (['data-dir', 'camera', 'from', 'to', 'reason', 'out'] as const).filter((k) => !values[k]?.trim());
  if (missing.length) return badInput(`Missing ${missing.map((m) => `--${m}`).join(', ')}.`);
  const fromMs = Date.parse(values.from!);
  const toMs = Date.parse(values.to!);
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) return badInput('Give --from and --to as ISO date-times, e.g. 2026-03-30T02:14:00Z.');
  if (!fs.existsSync(path.join(dataDir!, DB_FILE))) return badInput(`No Watchroom database in ${dataDir}.`);
  const target = path.resolve(values.out!);
  const db = openDatabase({ dataDir: dataDir!, logger: nullLogger });
  try {
    const cameraIds: string[] = [];
    for (const name of values.camera!.split(',').map((n) => n.trim()).filter(Boolean)) {
      const row = db.prepare('SELECT id FROM cameras WHERE name = ? COLLATE NOCASE').get(name) as { id: string } | undefined;
      if (!row) return badInput(`There is no camera named "${name}" (removed since, or misspelt).`);
      cameraIds.push(row.id);
    }
    const dataReal = fs.realpathSync(dataDir!);
    const parentReal = fs.existsSync(path.dirname(target)) ? fs.realpathSync(path.dirname(target)) : null;
    if (parentReal && (parentReal === dataReal || parentReal.startsWith(dataReal + path.sep))) {
      return badInput(`An export may not be written inside the data directory (${dataReal}): retention would remove it. Choose another folder.`);
    }
    const audit = new AuditTrail(db, undefined, AuditSeal.open(dataDir!));
    const sources = databaseEvidenceSources({ db, dataDir: dataDir!, segments: new SegmentIndex(db, path.join(dataDir!, 'recordings')), audit });
    const actor = `${os.userInfo().username} (command line)`;
    const r = await exportEvidence({ cameraIds, fromMs, toMs, reason: values.reason!, liftMasks: false, destination: path.dirname(target), folderName: path.basename(target), actor }, sources);
    audit.flush();
    out(`${JSON.stringify({ ok: true, folder: r.folder, cameras: r.manifest.cameras.map((c) => ({ name: c.name, file: c.file, masks: c.masks })), files: r.manifest.files.length, auditRow: r.manifest.auditRow })}\n`);
    return 0;
  } catch (e) {
    if (e instanceof AppErrorException) return badInput(e.message);
    return badInput(`The export failed: ${(e as Error).message}`);
  } finally {
    db.close();
  }
}
