import path from 'node:path';
import type { Actor } from '../../shared/domain/user';
import type { AuditTrail } from '../auth/audit-trail';
import { LedgerRepository, type LedgerRow } from '../ledger/ledger.repository';
import { PrivacyMasksRepository } from '../privacy/privacy-masks.repository';
import { siteZone } from '../reports/report-builder';
import { SITE_NAME_KEY } from '../reports/time-buckets';
import type { Db } from '../storage/database';
import { SettingsRepository } from '../storage/settings.repository';
import type { EvidenceSources } from './evidence-export';
import type { AuditRowLookup } from './evidence-verify';
import { writeEvidenceSummaryPdf } from './evidence-summary-pdf';
import type { RecordedSegments } from './recorded-segments';

/** Recordings are kept this long unless a camera says otherwise (the recorder's retention setting). */
export const RECORDING_RETENTION_KEY = 'recording.retentionDays';
export const DEFAULT_RECORDING_RETENTION_DAYS = 30;
const SNAPSHOT_RE = /^[\w-]+(\/[\w.-]+)+$/;

/** The export's sources read from a Watchroom database: used by the engine service and by the CLI alike. */
export function databaseEvidenceSources(o: {
  db: Db;
  dataDir: string;
  segments: RecordedSegments;
  audit: AuditTrail | null;
  /** The audit trail's actor for a user name (engine: the signed-in account; CLI: none, "system" with the name in the detail). */
  actorNamed?: (name: string) => Actor | undefined;
  now?: () => number;
}): EvidenceSources {
  const settings = new SettingsRepository(o.db);
  const masks = new PrivacyMasksRepository(o.db);
  const ledger = new LedgerRepository(o.db);
  const snapshotsRoot = path.resolve(o.dataDir, 'snapshots');
  const days = settings.get<number>(RECORDING_RETENTION_KEY);
  const site = settings.get<string>(SITE_NAME_KEY);
  return {
    segments: o.segments,
    site: typeof site === 'string' && site.trim() ? site.trim() : 'Watchroom site',
    retentionMs: (typeof days === 'number' && days > 0 ? days : DEFAULT_RECORDING_RETENTION_DAYS) * 86_400_000,
    cameraName: (id) => (o.db.prepare('SELECT name FROM cameras WHERE id = ?').get(id) as { name: string } | undefined)?.name ?? null,
    masks: (id) => masks.masks(id)?.masks ?? [],
    ledgerRows: (ids, fromMs, toMs) => {
      const rows: LedgerRow[] = [];
      for (const cameraId of ids) {
        // Newest first, 1000 a page.
        for (let beforeId: string | undefined; ; ) {
          const page = ledger.list({ cameraId, fromMs, toMs, includeVoided: true, limit: 1000, beforeId });
          rows.push(...page);
          if (page.length < 1000) break;
          beforeId = page[page.length - 1]!.id;
        }
      }
      return rows.sort((a, b) => a.frameMs - b.frameMs || a.id.localeCompare(b.id));
    },
    resolveSnapshot: (rel) => {
      if (!SNAPSHOT_RE.test(rel)) return null;
      const abs = path.resolve(snapshotsRoot, rel);
      return abs.startsWith(snapshotsRoot + path.sep) ? abs : null;
    },
    writeSummary: (file, facts) => writeEvidenceSummaryPdf(file, { ...facts, site: typeof site === 'string' && site.trim() ? site.trim() : 'Watchroom site', exportedAt: new Date((o.now ?? Date.now)()).toISOString(), timeZone: siteZone(settings) }),
    recordAudit: (detail, actorName) => {
      if (!o.audit) return null;
      const actor = o.actorNamed?.(actorName);
      const row = o.audit.record({ actor, action: 'evidence.export', target: String((detail.cameras as string[] | undefined)?.join(',') ?? ''), detail: actor ? detail : { ...detail, by: actorName } });
      return { id: row.id, hash: row.hash };
    },
    now: o.now,
  };
}

/** Reads an audit row for verify (the manifest's row: its hash and the digest it recorded). */
export function auditRowLookup(db: Db): AuditRowLookup {
  return (id) => {
    const r = db.prepare('SELECT hash, detail FROM audit_log WHERE id = ?').get(id) as { hash: string; detail: string | null } | undefined;
    if (!r) return null;
    try {
      return { hash: r.hash, detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null };
    } catch {
      return { hash: r.hash, detail: null };
    }
  };
}
