import { z } from 'zod';

/** Format tag of an evidence folder's manifest. */
export const EVIDENCE_FORMAT = 'watchroom-evidence/1';
export const MANIFEST_FILE = 'manifest.json';

/** One file of an export, by its path inside the folder (forward slashes). */
export const EvidenceFileSchema = z.object({ path: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[a-f0-9]{64}$/) });
export type EvidenceFile = z.infer<typeof EvidenceFileSchema>;

const RangeSchema = z.object({ from: z.string(), to: z.string() });

/** What `manifest.json` says: site, cameras, ranges, who, when, why, every file's hash and the audit row. */
export const EvidenceManifestSchema = z.object({
  format: z.literal(EVIDENCE_FORMAT),
  site: z.string(),
  /** The requested window (ISO, UTC). */
  range: RangeSchema,
  cameras: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      /** The camera's MP4 in this folder. */
      file: z.string(),
      /** Recorded parts of the window in that file (gaps left out, in order). */
      recorded: z.array(RangeSchema),
      /** burned-in: privacy masks drawn into the video; lifted: a supervisor lifted them for this export; none: no masks. */
      masks: z.enum(['burned-in', 'lifted', 'none']),
      codec: z.string().nullable(),
    }),
  ),
  exportedBy: z.string(),
  /** Who approved under the four-eyes rule (null when none was needed). */
  approvedBy: z.string().nullable(),
  exportedAt: z.string(),
  reason: z.string(),
  files: z.array(EvidenceFileSchema),
  /**
   * SHA-256 of this manifest's canonical JSON (keys sorted) without `manifestSha256` and `auditRow`; the audit row
   * records the same value, so an edited manifest shows (against the trail, also when its hash was recomputed).
   */
  manifestSha256: z.string(),
  /** The audit-trail row that recorded this export (null when written without an audit trail). */
  auditRow: z.object({ id: z.number().int(), hash: z.string() }).nullable(),
});
export type EvidenceManifest = z.infer<typeof EvidenceManifestSchema>;

/** The outcome of checking an evidence folder: exactly which files changed, are missing or were added. */
export const EvidenceVerifySchema = z.object({
  state: z.enum(['intact', 'changed', 'unreadable']),
  folder: z.string(),
  /** Files whose content no longer matches the manifest (manifest.json itself when its list was edited). */
  changed: z.array(z.string()),
  missing: z.array(z.string()),
  added: z.array(z.string()),
  files: z.number().int(),
  /** One sentence for officers. */
  message: z.string(),
});
export type EvidenceVerify = z.infer<typeof EvidenceVerifySchema>;

/** Progress of an evidence export (push `evidence:progress`). */
export const EvidenceProgressSchema = z.object({
  exportId: z.string(),
  /** 0..1 */
  fraction: z.number(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  /** The finished folder (state done). */
  folder: z.string().nullable(),
  message: z.string().nullable(),
});
export type EvidenceProgress = z.infer<typeof EvidenceProgressSchema>;
