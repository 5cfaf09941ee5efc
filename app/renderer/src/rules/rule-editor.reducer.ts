import type { Rule } from '../../../shared/domain/rules';
import { distance, type Point } from '../../../shared/geometry/point';
import { commitFrom, historyOf, pushHistory, redo, replacePresent, undo, type History } from './history';
import { roundCoord } from './frame-coords';
import { minPoints, newLineRule, newZoneRule, type RulePatch } from './rule-draft';
import type { Hit } from './rules-hit-test';
import { newMaskZone } from './mask-draft';

/**
 * The rule editor as an explicit state machine: a pure reducer `(state, event) -> state`. The component turns
 * DOM input into events (pointer positions already converted to normalised frame coordinates, and a hit test
 * done in stage pixels) and paints the state; nothing here knows about pixels or Konva.
 *
 *   mode select:  Idle --down on vertex--> DraggingVertex(rule, index) --up--> Idle   (one undo step)
 *                 Idle --down on an edge of the selected rule--> insert point, DraggingVertex
 *                 Idle --Alt+down on vertex--> remove that point
 *   mode line:    Idle --down--> DrawingLine([p1]) --down--> done (segment; Shift+down adds a bend instead,
 *                 Enter finishes a polyline)
 *   mode zone:    Idle --down--> DrawingZone([p1]) --down…--> closed by a down on the first point or Enter
 *   Esc cancels a drawing (or clears the selection); finishing a drawing selects the new rule and returns to
 *   mode select.
 */

export type ToolMode = 'select' | 'line' | 'zone';

export type Tool =
  | { kind: 'idle' }
  | { kind: 'drawing-line'; points: Point[]; cursor: Point | null }
  | { kind: 'drawing-zone'; points: Point[]; cursor: Point | null }
  /** `origin` is the rule list before the drag, for the single undo step the drag makes. */
  | { kind: 'dragging-vertex'; ruleId: string; index: number; origin: Rule[] };

export type Selection = { kind: 'none' } | { kind: 'rule'; ruleId: string } | { kind: 'vertex'; ruleId: string; index: number };

export interface EditorState {
  mode: ToolMode;
  tool: Tool;
  selection: Selection;
  /** The document: undoable rule lists. */
  history: History<Rule[]>;
  /** The rule list last loaded from or saved to the host (dirty = present differs). */
  saved: Rule[];
  /** Consecutive property edits with the same key merge into one undo step (typing a name). */
  lastPatchKey: string | null;
  /** What the document holds: counting rules, or privacy masks (closed polygons held as zones, see mask-draft.ts). */
  kind: 'rules' | 'masks';
}

export type EditorEvent =
  | { type: 'load'; rules: Rule[] }
  | { type: 'saved'; rules: Rule[] }
  | { type: 'set-mode'; mode: ToolMode }
  | { type: 'pointer-down'; p: Point; hit: Hit; alt?: boolean; shift?: boolean }
  | { type: 'pointer-move'; p: Point }
  | { type: 'pointer-up'; p: Point }
  | { type: 'double-click'; p: Point; hit: Hit }
  | { type: 'key'; key: 'Escape' | 'Enter' | 'Delete' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'select'; ruleId: string | null }
  | { type: 'update-rule'; ruleId: string; patch: RulePatch }
  | { type: 'flip'; ruleId: string }
  | { type: 'delete-rule'; ruleId: string };

const NONE: Selection = { kind: 'none' };
const IDLE: Tool = { kind: 'idle' };

export function initialEditorState(rules: Rule[] = [], kind: EditorState['kind'] = 'rules'): EditorState {
  return { mode: 'select', tool: IDLE, selection: NONE, history: historyOf(rules), saved: rules, lastPatchKey: null, kind };
}

export const currentRules = (s: EditorState): Rule[] => s.history.present;
export const isDirty = (s: EditorState): boolean => s.history.present !== s.saved;
export const selectedRuleId = (s: EditorState): string | null => (s.selection.kind === 'none' ? null : s.selection.ruleId);

const round = (p: Point): [number, number] => [roundCoord(p[0]), roundCoord(p[1])];
/** Points closer than this (normalised) count as the same click when drawing a zone (double clicks). */
const SAME_POINT = 1e-4;

function withRule(rules: Rule[], ruleId: string, fn: (r: Rule) => Rule): Rule[] {
  return rules.map((r) => (r.id === ruleId ? fn(r) : r));
}
function setPoints(r: Rule, points: [number, number][]): Rule {
  return { ...r, points } as Rule;
}
/** Records a document change as one undo step. */
function edit(s: EditorState, rules: Rule[], selection: Selection = s.selection): EditorState {
  return { ...s, history: pushHistory(s.history, rules), selection, lastPatchKey: null };
}
/** Keeps the selection only if what it points at still exists. */
function validSelection(sel: Selection, rules: Rule[]): Selection {
  if (sel.kind === 'none') return sel;
  const r = rules.find((x) => x.id === sel.ruleId);
  if (!r) return NONE;
  if (sel.kind === 'vertex' && sel.index >= r.points.length) return { kind: 'rule', ruleId: r.id };
  return sel;
}

function finishLine(s: EditorState, points: Point[]): EditorState {
  const rule = newLineRule(s.history.present, points.map(round));
  return { ...edit(s, [...s.history.present, rule], { kind: 'rule', ruleId: rule.id }), mode: 'select', tool: IDLE };
}
function finishZone(s: EditorState, points: Point[]): EditorState {
  const rule = s.kind === 'masks' ? newMaskZone(s.history.present, points.map(round)) : newZoneRule(s.history.present, points.map(round));
  return { ...edit(s, [...s.history.present, rule], { kind: 'rule', ruleId: rule.id }), mode: 'select', tool: IDLE };
}

function insertPoint(s: EditorState, ruleId: string, edgeIndex: number, p: Point): EditorState {
  const at = edgeIndex + 1;
  const rules = withRule(s.history.present, ruleId, (r) => setPoints(r, [...r.points.slice(0, at), round(p), ...r.points.slice(at)]));
  const before = s.history.present;
  return { ...s, history: replacePresent(s.history, rules), selection: { kind: 'vertex', ruleId, index: at }, tool: { kind: 'dragging-vertex', ruleId, index: at, origin: before }, lastPatchKey: null };
}

/** Removes a point; a rule left with too few points is deleted. */
function removePoint(s: EditorState, ruleId: string, index: number): EditorState {
  const rule = s.history.present.find((r) => r.id === ruleId);
  if (!rule) return s;
  if (rule.points.length <= minPoints(rule)) return edit(s, s.history.present.filter((r) => r.id !== ruleId), NONE);
  const rules = withRule(s.history.present, ruleId, (r) => setPoints(r, r.points.filter((_, i) => i !== index)));
  return edit(s, rules, { kind: 'rule', ruleId });
}

function pointerDownSelect(s: EditorState, e: Extract<EditorEvent, { type: 'pointer-down' }>): EditorState {
  const hit = e.hit;
  const selected = selectedRuleId(s);
  switch (hit.kind) {
    case 'vertex':
      if (e.alt) return removePoint(s, hit.ruleId, hit.index);
      return { ...s, selection: { kind: 'vertex', ruleId: hit.ruleId, index: hit.index }, tool: { kind: 'dragging-vertex', ruleId: hit.ruleId, index: hit.index, origin: s.history.present }, lastPatchKey: null };
    case 'edge':
      if (hit.ruleId === selected && !e.alt) return insertPoint(s, hit.ruleId, hit.index, hit.point);
      return { ...s, selection: { kind: 'rule', ruleId: hit.ruleId } };
    case 'inside':
      return { ...s, selection: { kind: 'rule', ruleId: hit.ruleId } };
    default:
      return { ...s, selection: NONE };
  }
}

function pointerDown(s: EditorState, e: Extract<EditorEvent, { type: 'pointer-down' }>): EditorState {
  const t = s.tool;
  if (t.kind === 'drawing-line') {
    const points = [...t.points, e.p];
    return e.shift ? { ...s, tool: { ...t, points } } : finishLine(s, points);
  }
  if (t.kind === 'drawing-zone') {
    if (e.hit.kind === 'draft-start' && t.points.length >= 3) return finishZone(s, t.points);
    const last = t.points[t.points.length - 1];
    if (last && distance(last, e.p) < SAME_POINT) return s;
    return { ...s, tool: { ...t, points: [...t.points, e.p] } };
  }
  if (t.kind === 'dragging-vertex') return s;
  if (s.mode === 'line') return { ...s, tool: { kind: 'drawing-line', points: [e.p], cursor: e.p }, selection: NONE };
  if (s.mode === 'zone') return { ...s, tool: { kind: 'drawing-zone', points: [e.p], cursor: e.p }, selection: NONE };
  return pointerDownSelect(s, e);
}

function keyDown(s: EditorState, key: 'Escape' | 'Enter' | 'Delete'): EditorState {
  const t = s.tool;
  if (key === 'Escape') {
    if (t.kind === 'drawing-line' || t.kind === 'drawing-zone') return { ...s, tool: IDLE };
    if (t.kind === 'dragging-vertex') return { ...s, tool: IDLE, history: replacePresent(s.history, t.origin) };
    if (s.mode !== 'select') return { ...s, mode: 'select' };
    return { ...s, selection: NONE };
  }
  if (key === 'Enter') {
    if (t.kind === 'drawing-line' && t.points.length >= 2) return finishLine(s, t.points);
    if (t.kind === 'drawing-zone' && t.points.length >= 3) return finishZone(s, t.points);
    return s;
  }
  if (t.kind !== 'idle') return s;
  const sel = s.selection;
  if (sel.kind === 'vertex') return removePoint(s, sel.ruleId, sel.index);
  if (sel.kind === 'rule') return edit(s, s.history.present.filter((r) => r.id !== sel.ruleId), NONE);
  return s;
}

export function editorReducer(s: EditorState, e: EditorEvent): EditorState {
  switch (e.type) {
    case 'load':
      return initialEditorState(e.rules, s.kind);
    case 'saved':
      return { ...s, history: replacePresent(s.history, e.rules), saved: e.rules, selection: validSelection(s.selection, e.rules), lastPatchKey: null };
    case 'set-mode':
      return { ...s, mode: e.mode, tool: s.tool.kind === 'dragging-vertex' ? s.tool : IDLE, selection: e.mode === 'select' ? s.selection : NONE };
    case 'pointer-down':
      return pointerDown(s, e);
    case 'pointer-move': {
      const t = s.tool;
      if (t.kind === 'drawing-line' || t.kind === 'drawing-zone') return { ...s, tool: { ...t, cursor: e.p } };
      if (t.kind !== 'dragging-vertex') return s;
      const rules = withRule(s.history.present, t.ruleId, (r) => setPoints(r, r.points.map((q, i) => (i === t.index ? round(e.p) : [q[0], q[1]]))));
      return { ...s, history: replacePresent(s.history, rules) };
    }
    case 'pointer-up': {
      const t = s.tool;
      if (t.kind !== 'dragging-vertex') return s;
      return { ...s, tool: IDLE, history: commitFrom(s.history, t.origin) };
    }
    case 'double-click':
      if (s.mode === 'select' && s.tool.kind === 'idle' && e.hit.kind === 'edge') {
        const ins = insertPoint(s, e.hit.ruleId, e.hit.index, e.hit.point);
        return { ...ins, tool: IDLE, history: commitFrom(ins.history, s.history.present) };
      }
      if (s.tool.kind === 'drawing-line' && s.tool.points.length >= 2) return finishLine(s, s.tool.points);
      if (s.tool.kind === 'drawing-zone' && s.tool.points.length >= 3) return finishZone(s, s.tool.points);
      return s;
    case 'key':
      return keyDown(s, e.key);
    case 'undo':
    case 'redo': {
      if (s.tool.kind !== 'idle') return { ...s, tool: IDLE, history: s.tool.kind === 'dragging-vertex' ? replacePresent(s.history, s.tool.origin) : s.history };
      const history = e.type === 'undo' ? undo(s.history) : redo(s.history);
      return { ...s, history, selection: validSelection(s.selection, history.present), lastPatchKey: null };
    }
    case 'select':
      return { ...s, selection: e.ruleId ? validSelection({ kind: 'rule', ruleId: e.ruleId }, s.history.present) : NONE };
    case 'update-rule': {
      const key = `${e.ruleId}:${Object.keys(e.patch).sort().join(',')}`;
      const rules = withRule(s.history.present, e.ruleId, (r) => ({ ...r, ...e.patch }) as Rule);
      const history = key === s.lastPatchKey ? replacePresent(s.history, rules) : pushHistory(s.history, rules);
      return { ...s, history, lastPatchKey: key };
    }
    case 'flip':
      return edit(s, withRule(s.history.present, e.ruleId, (r) => (r.type === 'line' ? setPoints(r, [...r.points].reverse()) : r)));
    case 'delete-rule':
      return edit(s, s.history.present.filter((r) => r.id !== e.ruleId), selectedRuleId(s) === e.ruleId ? NONE : s.selection);
  }
}
