import { MaskListSchema, type MaskStyle, type PrivacyMask, type PrivacyMaskInput } from '../../../shared/domain/privacy-mask';
import type { Rule, ZoneRule } from '../../../shared/domain/rules';
import type { Point } from '../../../shared/geometry/point';
import type { RuleProblemView } from './rule-draft';

/**
 * Privacy masks in the rule editor. The editor's state machine (drawing, vertex drags, undo) works on closed
 * polygons held as zones, so a mask is edited as a zone that also carries the mask's own fields (`style`,
 * `detections`); these conversions are the only place that knows it.
 */
export type MaskZone = ZoneRule & { style: MaskStyle; detections: 'ignore' | 'keep' };

/** Look of masks in the editor: neutral grey, never one of the rule colours. */
export const MASK_COLOUR = '#b0bec5';

const isMaskZone = (r: Rule): r is MaskZone => r.type === 'zone' && 'style' in r;

/** First free `mask-<n>` id. */
export function nextMaskId(zones: readonly Rule[]): string {
  const used = new Set(zones.map((r) => r.id));
  for (let n = 1; ; n++) if (!used.has(`mask-${n}`)) return `mask-${n}`;
}

/** A new mask drawn in the editor: solid, detections inside ignored (the safe defaults). */
export function newMaskZone(zones: readonly Rule[], points: readonly Point[]): MaskZone {
  const id = nextMaskId(zones);
  return {
    id,
    name: `Mask ${id.slice(5)}`,
    type: 'zone',
    enabled: true,
    colour: MASK_COLOUR,
    anchor: 'center',
    classes: ['person'],
    points: points.map((p) => [p[0], p[1]] as [number, number]),
    minSeconds: 0,
    style: 'solid',
    detections: 'ignore',
  };
}

export function masksToZones(masks: readonly PrivacyMask[]): MaskZone[] {
  return masks.map((m) => ({
    id: m.id,
    name: m.name ?? m.id,
    type: 'zone',
    enabled: true,
    colour: MASK_COLOUR,
    anchor: 'center',
    classes: ['person'],
    points: m.points.map((p) => [p[0], p[1]] as [number, number]),
    minSeconds: 0,
    style: m.style,
    detections: m.detections,
  }));
}

export function zonesToMasks(zones: readonly Rule[]): PrivacyMaskInput[] {
  return zones.filter(isMaskZone).map((z) => ({ id: z.id, ...(z.name ? { name: z.name } : {}), points: z.points.map((p) => [p[0], p[1]] as [number, number]), style: z.style, detections: z.detections }));
}

export const asMaskZone = (r: Rule | null): MaskZone | null => (r && isMaskZone(r) ? r : null);

/** Problems of the edited masks (the engine checks the same schema on save); empty when they can be saved. */
export function validateMasks(zones: readonly Rule[]): RuleProblemView[] {
  const masks = zonesToMasks(zones);
  const r = MaskListSchema.safeParse(masks);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ ruleId: typeof i.path[0] === 'number' ? (masks[i.path[0]]?.id ?? null) : null, message: i.message }));
}
