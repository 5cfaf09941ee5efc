import fs from 'node:fs';
import path from 'node:path';
import { EvidenceManifestSchema, MANIFEST_FILE, type EvidenceManifest, type EvidenceVerify } from '../../shared/domain/evidence';
import { listFiles, manifestDigest, sha256File } from './evidence-export';

/** The audit row a manifest points at, as the trail holds it (engine verify); null when the trail has no such row. */
export type AuditRowLookup = (id: number) => { hash: string; detail: Record<string, unknown> | null } | null;

/**
 * Checks an evidence folder against its manifest: every listed file's SHA-256, files missing, files added, and
 * the manifest's own list against the digest it carries (and, given the audit trail, against the export's audit
 * row). Names exactly which file changed.
 */
export function verifyEvidenceFolder(folder: string, auditRow?: AuditRowLookup): EvidenceVerify {
  const abs = path.resolve(folder);
  const base = { folder: abs, changed: [] as string[], missing: [] as string[], added: [] as string[], files: 0 };
  let manifest: EvidenceManifest;
  try {
    manifest = EvidenceManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(abs, MANIFEST_FILE), 'utf8')));
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    return { ...base, state: 'unreadable', message: missing ? `No ${MANIFEST_FILE} in ${abs}: this is not an evidence folder, or its manifest was removed.` : `${MANIFEST_FILE} in ${abs} cannot be read (changed or damaged).` };
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  const changed: string[] = [];
  const missing: string[] = [];
  for (const f of manifest.files) {
    const p = path.resolve(abs, f.path);
    if (!p.startsWith(abs + path.sep)) {
      changed.push(MANIFEST_FILE);
      continue;
    }
    if (!fs.existsSync(p)) missing.push(f.path);
    else if (fs.statSync(p).size !== f.bytes || sha256File(p) !== f.sha256) changed.push(f.path);
  }
  const added = listFiles(abs).filter((p) => p !== MANIFEST_FILE && !listed.has(p));
  let manifestChanged = manifestDigest(manifest) !== manifest.manifestSha256;
  if (!manifestChanged && auditRow && manifest.auditRow) {
    const row = auditRow(manifest.auditRow.id);
    manifestChanged = !row || row.hash !== manifest.auditRow.hash || row.detail?.manifestSha256 !== manifest.manifestSha256;
  }
  if (manifestChanged && !changed.includes(MANIFEST_FILE)) changed.unshift(MANIFEST_FILE);
  const result = { ...base, changed, missing, added, files: manifest.files.length };
  if (!changed.length && !missing.length && !added.length) return { ...result, state: 'intact', message: `Intact: all ${manifest.files.length} files match the manifest.` };
  const parts = [
    changed.length ? `changed: ${changed.join(', ')}` : '',
    missing.length ? `missing: ${missing.join(', ')}` : '',
    added.length ? `added: ${added.join(', ')}` : '',
  ].filter(Boolean);
  return { ...result, state: 'changed', message: `Not intact — ${parts.join('; ')}.` };
}
