import { z } from 'zod';
import { EnrolRequestSchema, FaceCategorySchema, FaceMatchViewSchema, WatchlistEntryViewSchema } from '../domain/faces';
import { invokeSpec } from './channel';

/** Face watchlist (issue 23): supervisors enrol, officers decide on matches, admins switch cameras on. */
const EntryId = z.object({ id: z.string().min(1) }).strict();
const Thresholds = z.record(FaceCategorySchema, z.number());

export const facesInvoke = {
  'faces:list': invokeSpec(z.void(), z.object({ entries: z.array(WatchlistEntryViewSchema), thresholds: Thresholds }), 'The watchlist (each look is audited) and the similarity threshold per category.'),
  'faces:enrol': invokeSpec(EnrolRequestSchema, WatchlistEntryViewSchema, 'Enrols a person from photos, each with exactly one usable face (audited; four-eyes eligible).'),
  'faces:remove': invokeSpec(EntryId, z.object({ removed: z.literal(true) }), 'Takes a person off the watchlist: photos and embeddings are deleted (audited).'),
  'faces:export': invokeSpec(EntryId, z.object({ entry: WatchlistEntryViewSchema, photos: z.array(z.string()), matches: z.array(FaceMatchViewSchema) }), 'Everything kept about one person: entry, photos, matches (data-subject access; audited).'),
  'faces:erase': invokeSpec(EntryId, z.object({ matches: z.number().int() }), 'Erases a person\'s entry, photos and match evidence (data-subject erasure; audited).'),
  'faces:set-threshold': invokeSpec(z.object({ category: FaceCategorySchema, threshold: z.number().min(0.4).max(0.95) }).strict(), Thresholds, 'Changes the similarity a face needs to match, for one category (audited).'),
  'faces:camera-get': invokeSpec(z.object({ cameraId: z.string().min(1) }).strict(), z.object({ enabled: z.boolean(), notice: z.string() }), 'Whether a camera looks for faces, and the legal notice to accept before switching it on.'),
  'faces:camera-set': invokeSpec(z.object({ cameraId: z.string().min(1), enabled: z.boolean(), noticeAccepted: z.boolean() }).strict(), z.object({ enabled: z.boolean() }), 'Switches face matching on (with the legal notice accepted) or off for a camera (audited).'),
  'faces:match-get': invokeSpec(EntryId, FaceMatchViewSchema, 'One face match with both faces side by side (audited).'),
  'faces:match-decide': invokeSpec(z.object({ id: z.string().min(1), outcome: z.enum(['confirmed', 'rejected']) }).strict(), FaceMatchViewSchema, 'The officer confirms or rejects a face match (audited; feeds the false-match rate).'),
} as const;
