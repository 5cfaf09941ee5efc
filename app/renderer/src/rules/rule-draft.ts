import { RulesFileSchema, type LineRule, type Rule, type ScheduleWindow, type ZoneRule } from '../../../shared/domain/rules';
import type { Point } from '../../../shared/geometry/point';

/** Object classes offered by the class filter (COCO names the detectors emit). */
export const RULE_CLASSES = ['person', 'car', 'bicycle', 'motorcycle', 'bus', 'truck', 'dog', 'cat', 'backpack', 'handbag', 'suitcase'] as const;

/** Overlay colours handed to new rules in turn. */
export const RULE_PALETTE = ['#ffca28', '#4fc3f7', '#ef5350', '#66bb6a', '#ab47bc', '#ff7043', '#26c6da', '#d4e157'] as const;

/** Properties the side panel edits. */
export type RulePatch = Partial<Pick<Rule, 'name' | 'colour' | 'classes' | 'anchor' | 'enabled'>> & {
  /** Zones: raise `zone.intrusion` for a filtered class inside (the alarm condition armed in Alarms). */
  intrusion?: { schedule?: ScheduleWindow[] } | undefined;
  /** Zones: raise `zone.loiter` when someone stays longer than this (s); off when undefined. */
  loiterSeconds?: number | undefined;
  /** Zones: raise `zone.overcrowd` when more than maxOccupancy are inside for forSeconds; off when undefined. */
  overcrowd?: { maxOccupancy: number; forSeconds: number } | undefined;
  /** Zones: show dwell times of this zone in the daily report; off when undefined. */
  dwellReport?: boolean | undefined;
};

/** First free `<prefix>-<n>` id. */
export function nextRuleId(rules: readonly Rule[], prefix: 'line' | 'zone'): string {
  const used = new Set(rules.map((r) => r.id));
  for (let n = 1; ; n++) if (!used.has(`${prefix}-${n}`)) return `${prefix}-${n}`;
}

const paletteColour = (rules: readonly Rule[]): string => RULE_PALETTE[rules.length % RULE_PALETTE.length]!;
const copyPoints = (points: readonly Point[]): [number, number][] => points.map((p) => [p[0], p[1]]);

/** A new counting line with the schema's defaults. */
export function newLineRule(rules: readonly Rule[], points: readonly Point[]): LineRule {
  const id = nextRuleId(rules, 'line');
  return { id, name: `Line ${id.slice(5)}`, type: 'line', enabled: true, colour: paletteColour(rules), anchor: 'bottom-center', classes: ['person'], points: copyPoints(points), hysteresis: 0.02, minFrames: 2, minSeconds: 0.1 };
}

/** A new zone with the schema's defaults. */
export function newZoneRule(rules: readonly Rule[], points: readonly Point[]): ZoneRule {
  const id = nextRuleId(rules, 'zone');
  return { id, name: `Zone ${id.slice(5)}`, type: 'zone', enabled: true, colour: paletteColour(rules), anchor: 'bottom-center', classes: ['person'], points: copyPoints(points), minSeconds: 0.3 };
}

/** Fewest points a rule of this type may keep. */
export const minPoints = (r: Rule): number => (r.type === 'zone' ? 3 : 2);

/** One problem of the rule list, tied to a rule when it concerns one. */
export interface RuleProblemView {
  ruleId: string | null;
  message: string;
}

/**
 * Validates the editor's rules with the shared RulesFileSchema (exactly what the engine checks on save) and
 * returns the problems in officer language; an empty list means the rules can be saved.
 */
export function validateRules(rules: readonly Rule[]): RuleProblemView[] {
  const r = RulesFileSchema.safeParse({ rules });
  if (r.success) return [];
  return r.error.issues.map((i) => {
    const index = i.path[0] === 'rules' && typeof i.path[1] === 'number' ? i.path[1] : -1;
    const rule = rules[index];
    if (!rule) return { ruleId: null, message: i.message };
    // Geometry messages already name the rule ("zone "z1": …"); others get the rule and field prefixed.
    const named = i.message.includes(`"${rule.id}"`);
    const field = i.path.slice(2).filter((k) => typeof k === 'string').join('.');
    return { ruleId: rule.id, message: named ? i.message : `${rule.type} "${rule.id}"${field ? ` (${field})` : ''}: ${i.message}` };
  });
}

/**
 * Problems reported by the host for a rejected save (`details` of the invalid-input error: {path, message}[]),
 * mapped like validateRules; falls back to the error message.
 */
export function problemsFromSaveError(rules: readonly Rule[], message: string, details: unknown): RuleProblemView[] {
  if (!Array.isArray(details) || details.length === 0) return [{ ruleId: null, message }];
  return details.map((d: unknown) => {
    const o = (d ?? {}) as { path?: unknown; message?: unknown };
    const path = typeof o.path === 'string' ? o.path.split('.') : [];
    const index = path[0] === 'rules' ? Number(path[1]) : -1;
    return { ruleId: rules[index]?.id ?? null, message: typeof o.message === 'string' ? o.message : message };
  });
}
