import { describe, expect, it } from 'vitest';
import type { LineRule, Rule, ZoneRule } from '../../../shared/domain/rules';
import type { Point } from '../../../shared/geometry/point';
import { canRedo, canUndo } from './history';
import { newLineRule, newZoneRule, validateRules } from './rule-draft';
import { currentRules, editorReducer, initialEditorState, isDirty, type EditorEvent, type EditorState } from './rule-editor.reducer';
import type { Hit } from './rules-hit-test';

const none: Hit = { kind: 'none' };
const run = (s: EditorState, ...events: EditorEvent[]) => events.reduce(editorReducer, s);
const down = (p: Point, hit: Hit = none, mods: { alt?: boolean; shift?: boolean } = {}): EditorEvent => ({ type: 'pointer-down', p, hit, ...mods });

const door = (): LineRule => ({ ...newLineRule([], [[0.1, 0.5], [0.9, 0.5]]), id: 'door', name: 'Door' });
const floor = (): ZoneRule => ({ ...newZoneRule([], [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5], [0.1, 0.5]]), id: 'floor', name: 'Floor' });

describe('rule editor tools', () => {
  it('draws a segment with two clicks, then selects it and returns to select mode', () => {
    let s = run(initialEditorState(), { type: 'set-mode', mode: 'line' }, down([0.2, 0.3]));
    expect(s.tool).toMatchObject({ kind: 'drawing-line', points: [[0.2, 0.3]] });
    s = run(s, { type: 'pointer-move', p: [0.5, 0.5] });
    expect(s.tool).toMatchObject({ cursor: [0.5, 0.5] });
    s = run(s, down([0.8, 0.3]));
    expect(s.tool.kind).toBe('idle');
    expect(s.mode).toBe('select');
    const [rule] = currentRules(s);
    expect(rule).toMatchObject({ id: 'line-1', type: 'line', points: [[0.2, 0.3], [0.8, 0.3]], enabled: true, classes: ['person'] });
    expect(s.selection).toEqual({ kind: 'rule', ruleId: 'line-1' });
    expect(isDirty(s)).toBe(true);
    expect(validateRules(currentRules(s))).toEqual([]);
  });

  it('draws a polyline with Shift+clicks finished by Enter, and a zero-length line is flagged, not hidden', () => {
    let s = run(initialEditorState(), { type: 'set-mode', mode: 'line' }, down([0.1, 0.1]), down([0.5, 0.2], none, { shift: true }), down([0.9, 0.1], none, { shift: true }), { type: 'key', key: 'Enter' });
    expect(currentRules(s)[0]!.points).toEqual([[0.1, 0.1], [0.5, 0.2], [0.9, 0.1]]);
    s = run(s, { type: 'set-mode', mode: 'line' }, down([0.3, 0.3]), down([0.3, 0.3]));
    expect(currentRules(s)[1]!.id).toBe('line-2');
    expect(validateRules(currentRules(s))).toEqual([{ ruleId: 'line-2', message: 'line "line-2": segment 1 has zero length (points 0 and 1 coincide)' }]);
  });

  it('draws a zone closed by clicking its first point or by Enter; repeated clicks add one point', () => {
    let s = run(initialEditorState(), { type: 'set-mode', mode: 'zone' }, down([0.1, 0.1]), down([0.5, 0.1]), down([0.5, 0.1]), down([0.5, 0.5]));
    expect(s.tool).toMatchObject({ kind: 'drawing-zone' });
    expect(s.tool.kind === 'drawing-zone' && s.tool.points.length).toBe(3);
    s = run(s, down([0.1, 0.1], { kind: 'draft-start' }));
    expect(currentRules(s)[0]).toMatchObject({ id: 'zone-1', type: 'zone', points: [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]] });
    s = run(s, { type: 'set-mode', mode: 'zone' }, down([0.6, 0.6]), down([0.9, 0.6]), { type: 'key', key: 'Enter' });
    expect(s.tool.kind).toBe('drawing-zone'); // two points cannot close
    s = run(s, down([0.9, 0.9]), { type: 'key', key: 'Enter' });
    expect(currentRules(s).map((r) => r.id)).toEqual(['zone-1', 'zone-2']);
  });

  it('Esc cancels a drawing without touching the document', () => {
    const s0 = initialEditorState([door()]);
    const s = run(s0, { type: 'set-mode', mode: 'zone' }, down([0.1, 0.1]), down([0.5, 0.1]), { type: 'key', key: 'Escape' });
    expect(s.tool.kind).toBe('idle');
    expect(currentRules(s)).toBe(currentRules(s0));
    expect(canUndo(s.history)).toBe(false);
  });

  it('drags a vertex as one undo step, clamped to the frame', () => {
    let s = run(initialEditorState([door()]), down([0.1, 0.5], { kind: 'vertex', ruleId: 'door', index: 0 }));
    expect(s.tool).toMatchObject({ kind: 'dragging-vertex', ruleId: 'door', index: 0 });
    expect(s.selection).toEqual({ kind: 'vertex', ruleId: 'door', index: 0 });
    s = run(s, { type: 'pointer-move', p: [0.2, 0.4] }, { type: 'pointer-move', p: [0.25, 0.45] }, { type: 'pointer-up', p: [0.25, 0.45] });
    expect(currentRules(s)[0]!.points).toEqual([[0.25, 0.45], [0.9, 0.5]]);
    expect(s.history.past).toHaveLength(1);
    s = run(s, { type: 'undo' });
    expect(currentRules(s)[0]!.points).toEqual([[0.1, 0.5], [0.9, 0.5]]);
    s = run(s, { type: 'redo' });
    expect(currentRules(s)[0]!.points).toEqual([[0.25, 0.45], [0.9, 0.5]]);
  });

  it('inserts a point on an edge of the selected rule (click or double-click) and removes one with Alt+click or Delete', () => {
    let s = run(initialEditorState([floor()]), { type: 'select', ruleId: 'floor' });
    s = run(s, down([0.3, 0.1], { kind: 'edge', ruleId: 'floor', index: 0, point: [0.3, 0.1] }), { type: 'pointer-up', p: [0.3, 0.1] });
    expect(currentRules(s)[0]!.points).toHaveLength(5);
    expect(currentRules(s)[0]!.points[1]).toEqual([0.3, 0.1]);
    expect(s.selection).toEqual({ kind: 'vertex', ruleId: 'floor', index: 1 });
    s = run(s, { type: 'key', key: 'Delete' });
    expect(currentRules(s)[0]!.points).toHaveLength(4);
    s = run(s, { type: 'double-click', p: [0.5, 0.3], hit: { kind: 'edge', ruleId: 'floor', index: 1, point: [0.5, 0.3] } });
    expect(currentRules(s)[0]!.points[2]).toEqual([0.5, 0.3]);
    expect(s.tool.kind).toBe('idle');
    s = run(s, down([0.5, 0.3], { kind: 'vertex', ruleId: 'floor', index: 2 }, { alt: true }));
    expect(currentRules(s)[0]!.points).toHaveLength(4);
    // A zone at its minimum loses the whole rule rather than becoming invalid.
    s = run(s, down([0.1, 0.1], { kind: 'vertex', ruleId: 'floor', index: 0 }, { alt: true }));
    s = run(s, down([0.1, 0.1], { kind: 'vertex', ruleId: 'floor', index: 0 }, { alt: true }));
    expect(currentRules(s)).toEqual([]);
  });

  it('selects by edge or inside, Delete removes the selected rule, flip reverses a line', () => {
    let s = run(initialEditorState([door(), floor()]), down([0.3, 0.3], { kind: 'inside', ruleId: 'floor' }));
    expect(s.selection).toEqual({ kind: 'rule', ruleId: 'floor' });
    s = run(s, down([0.5, 0.5], { kind: 'edge', ruleId: 'door', index: 0, point: [0.5, 0.5] }));
    expect(s.selection).toEqual({ kind: 'rule', ruleId: 'door' });
    expect(currentRules(s)[0]!.points).toHaveLength(2); // first click on another rule's edge only selects
    s = run(s, { type: 'flip', ruleId: 'door' });
    expect(currentRules(s)[0]!.points).toEqual([[0.9, 0.5], [0.1, 0.5]]);
    s = run(s, { type: 'key', key: 'Delete' });
    expect(currentRules(s).map((r) => r.id)).toEqual(['floor']);
    expect(s.selection.kind).toBe('none');
    s = run(s, down([0.95, 0.95], none));
    expect(s.selection.kind).toBe('none');
  });

  it('edits properties, merging consecutive edits of one field into one undo step', () => {
    let s = initialEditorState([door()]);
    s = run(s, { type: 'update-rule', ruleId: 'door', patch: { name: 'D' } }, { type: 'update-rule', ruleId: 'door', patch: { name: 'Do' } }, { type: 'update-rule', ruleId: 'door', patch: { name: 'Dock' } });
    s = run(s, { type: 'update-rule', ruleId: 'door', patch: { classes: ['person', 'car'] } }, { type: 'update-rule', ruleId: 'door', patch: { anchor: 'center' } }, { type: 'update-rule', ruleId: 'door', patch: { enabled: false } });
    const r = currentRules(s)[0] as Rule;
    expect(r).toMatchObject({ name: 'Dock', classes: ['person', 'car'], anchor: 'center', enabled: false });
    expect(s.history.past).toHaveLength(4);
    s = run(s, { type: 'undo' }, { type: 'undo' }, { type: 'undo' });
    expect(currentRules(s)[0]).toMatchObject({ name: 'Dock', classes: ['person'], anchor: 'bottom-center', enabled: true });
    s = run(s, { type: 'undo' });
    expect(currentRules(s)[0]!.name).toBe('Door');
    expect(canRedo(s.history)).toBe(true);
    s = run(s, { type: 'flip', ruleId: 'door' }); // a new edit drops the redo branch
    expect(canRedo(s.history)).toBe(false);
  });

  it('undo drops a selection whose rule disappeared; saved marks the document clean', () => {
    let s = run(initialEditorState(), { type: 'set-mode', mode: 'line' }, down([0.1, 0.1]), down([0.4, 0.4]));
    expect(s.selection).toEqual({ kind: 'rule', ruleId: 'line-1' });
    s = run(s, { type: 'undo' });
    expect(currentRules(s)).toEqual([]);
    expect(s.selection.kind).toBe('none');
    s = run(s, { type: 'redo' }, { type: 'saved', rules: [door()] });
    expect(isDirty(s)).toBe(false);
    expect(currentRules(s)[0]!.id).toBe('door');
    expect(s.selection.kind).toBe('none');
  });

  it('undo during a drag puts the vertex back and ends the drag', () => {
    let s = run(initialEditorState([door()]), down([0.1, 0.5], { kind: 'vertex', ruleId: 'door', index: 0 }), { type: 'pointer-move', p: [0.3, 0.3] });
    s = run(s, { type: 'key', key: 'Escape' });
    expect(s.tool.kind).toBe('idle');
    expect(currentRules(s)[0]!.points[0]).toEqual([0.1, 0.5]);
    expect(canUndo(s.history)).toBe(false);
  });
});
