import { z } from 'zod';

/** Face watchlist: what supervisors enrol, what officers see of a match, and the notice an admin accepts. */
export const FACE_CATEGORIES = ['banned', 'vip', 'missing-person', 'other'] as const;
export const FaceCategorySchema = z.enum(FACE_CATEGORIES);
export type FaceCategory = z.infer<typeof FaceCategorySchema>;

/**
 * Shown when an admin switches face matching on for a camera; switching on records who accepted it and when.
 * Plain words, not legal advice: the site's own data-protection officer words the final text.
 */
export const FACE_LEGAL_NOTICE = [
  'Face matching processes biometric data. Before switching it on for this camera, make sure that:',
  '- the site has a lawful basis for it and a data-protection impact assessment covers this camera;',
  '- people are told, by signs at the entrances, that faces are checked against a watchlist here;',
  '- only people with a documented reason are on the watchlist, each with an expiry date.',
  'Watchroom keeps nothing about faces that match no one. A match keeps the face picture as alarm evidence until',
  'the retention period ends. Every enrolment, removal, threshold change and look at the watchlist is audited.',
].join('\n');

export const WatchlistEntryViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  category: FaceCategorySchema,
  expiresAt: z.string().nullable(),
  enrolledBy: z.string(),
  approvedBy: z.string().nullable(),
  createdAt: z.string(),
  photos: z.number().int(),
  confirmed: z.number().int(),
  rejected: z.number().int(),
  /** Rejected matches / decided matches, null before the first decision. */
  falseMatchRate: z.number().nullable(),
});
export type WatchlistEntryView = z.infer<typeof WatchlistEntryViewSchema>;

export const EnrolRequestSchema = z.object({
  name: z.string().trim().min(1).max(120),
  category: FaceCategorySchema,
  /** ISO date-time; null: no expiry. */
  expiresAt: z.string().datetime({ offset: true }).nullable(),
  /** Photo files as base64 (JPEG, PNG...), each with exactly one usable face. */
  photos: z.array(z.string().min(1)).min(1).max(10),
}).strict();
export type EnrolRequest = z.infer<typeof EnrolRequestSchema>;

export const FaceMatchViewSchema = z.object({
  id: z.string(),
  entryId: z.string(),
  name: z.string(),
  category: FaceCategorySchema,
  cameraId: z.string(),
  track: z.number().int().nullable(),
  similarity: z.number(),
  at: z.string(),
  /** The face seen by the camera and the first enrolled photo, as data: URLs (both shown side by side). */
  seenFace: z.string(),
  enrolledFace: z.string(),
  outcome: z.enum(['confirmed', 'rejected']).nullable(),
  /** Who confirmed or rejected it (null while undecided). */
  decidedBy: z.string().nullable(),
});
export type FaceMatchView = z.infer<typeof FaceMatchViewSchema>;
