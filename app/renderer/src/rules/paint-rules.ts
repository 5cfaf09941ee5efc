import Konva from 'konva';
import type { Rule } from '../../../shared/domain/rules';
import { inNormal } from '../../../shared/geometry/segment';
import type { RuleCounter } from '../../../shared/ipc/rules.contract';
import { t } from '../i18n/en';
import type { Fit } from '../live/tile-fit';
import { toStage, toStagePoints } from './frame-coords';

const LABEL_FONT = 12;
const ARROW_PX = 22;

/** Label of a rule on the overlay: its name plus its live counters when known. */
export function ruleLabel(rule: Rule, counter: RuleCounter | undefined): string {
  const name = rule.name || rule.id;
  if (!counter) return name;
  return rule.type === 'line' ? t.rules.lineCount(name, counter.in ?? 0, counter.out ?? 0) : t.rules.zoneCount(name, counter.occupancy ?? 0);
}

/** Colour of a rule (its own, or a default by type). */
export const ruleColour = (r: Rule): string => r.colour ?? (r.type === 'line' ? '#ffca28' : '#4fc3f7');

/**
 * Adds one arrow per segment of a line, from the segment's middle along its "in" normal (the drawn direction
 * rotated 90 degrees counter-clockwise on screen), computed in stage pixels so it looks perpendicular.
 */
function addInArrows(group: Konva.Group, rule: Rule, fit: Fit, colour: string): void {
  for (let i = 0; i + 1 < rule.points.length; i++) {
    const a = toStage(rule.points[i]!, fit);
    const b = toStage(rule.points[i + 1]!, fit);
    const n = inNormal(a, b);
    if (n[0] === 0 && n[1] === 0) continue;
    const m = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    const tip = [m[0]! + n[0] * ARROW_PX, m[1]! + n[1] * ARROW_PX];
    group.add(new Konva.Arrow({ points: [m[0]!, m[1]!, tip[0]!, tip[1]!], stroke: colour, fill: colour, strokeWidth: 3, pointerLength: 8, pointerWidth: 9, listening: false }));
    group.add(new Konva.Text({ x: tip[0]! + n[0] * 8 - 6, y: tip[1]! + n[1] * 8 - 6, text: t.rules.inLabel, fontSize: 11, fontStyle: 'bold', fill: colour, shadowColor: '#000', shadowBlur: 2, shadowOpacity: 0.9, listening: false }));
  }
}

function addLabel(group: Konva.Group, x: number, y: number, text: string, colour: string, fit: Fit): void {
  const label = new Konva.Label({ x: Math.max(fit.x, x), y: Math.max(fit.y, y), listening: false });
  label.add(new Konva.Tag({ fill: 'rgba(7,10,14,0.78)', stroke: colour, strokeWidth: 1, cornerRadius: 3 }));
  label.add(new Konva.Text({ text, fontSize: LABEL_FONT, padding: 4, fill: '#f5f7fa', fontStyle: 'bold' }));
  group.add(label);
}

export interface PaintRulesOptions {
  /** Live counters by rule id. */
  counters?: Record<string, RuleCounter>;
  /** Rule drawn highlighted (editor selection). */
  selectedId?: string | null;
  /** Whether names and counters are drawn. */
  labels?: boolean;
}

/**
 * Redraws the rules group: zones as semi-transparent polygons, lines with their in-arrows, and a label per rule
 * with its live counters. Disabled rules are drawn dashed and faint. Used by the live tiles and the editor.
 */
export function paintRules(group: Konva.Group, rules: readonly Rule[], fit: Fit, opts: PaintRulesOptions = {}): void {
  group.destroyChildren();
  if (fit.width <= 0 || fit.height <= 0) return;
  for (const rule of rules) {
    const colour = ruleColour(rule);
    const selected = rule.id === opts.selectedId;
    const g = new Konva.Group({ opacity: rule.enabled ? 1 : 0.45, listening: false });
    const pts = toStagePoints(rule.points, fit);
    const dash = rule.enabled ? undefined : [8, 6];
    if (rule.type === 'zone') {
      g.add(new Konva.Line({ points: pts, closed: true, fill: colour, opacity: selected ? 0.3 : 0.18, listening: false, perfectDrawEnabled: false }));
      g.add(new Konva.Line({ points: pts, closed: true, stroke: colour, strokeWidth: selected ? 3 : 2, dash, listening: false }));
    } else {
      g.add(new Konva.Line({ points: pts, stroke: '#000', strokeWidth: selected ? 7 : 6, opacity: 0.5, lineCap: 'round', lineJoin: 'round', listening: false }));
      g.add(new Konva.Line({ points: pts, stroke: colour, strokeWidth: selected ? 4 : 3, dash, lineCap: 'round', lineJoin: 'round', listening: false }));
      addInArrows(g, rule, fit, colour);
    }
    if (opts.labels !== false && rule.points.length > 0) {
      const first = toStage(rule.points[0]!, fit);
      const top = rule.points.reduce((best, p) => (p[1] < best[1] ? p : best), rule.points[0]!);
      const anchor = rule.type === 'zone' ? toStage(top, fit) : first;
      addLabel(g, anchor[0] + 4, anchor[1] - LABEL_FONT - 14, ruleLabel(rule, opts.counters?.[rule.id]), colour, fit);
    }
    group.add(g);
  }
}
