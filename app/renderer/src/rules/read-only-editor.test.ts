import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../shared/domain/rules';
import { readOnlyEvent } from './read-only-editor';
import { currentRules, editorReducer, initialEditorState, selectedRuleId, type EditorEvent } from './rule-editor.reducer';

const line: Rule = { id: 'line-1', type: 'line', name: 'Entry', points: [[0.1, 0.5], [0.9, 0.5]], classes: ['person'], anchor: 'bottom-center', enabled: true } as Rule;

/** Feeds events through the read-only filter, as the editor does for a role without rules:save. */
const run = (events: EditorEvent[]) => events.reduce((s, ev) => {
  const passed = readOnlyEvent(ev);
  return passed ? editorReducer(s, passed) : s;
}, initialEditorState([line]));

describe('read-only rule editor (an officer looks, does not change)', () => {
  it('selects a rule by pressing on it, and changes nothing', () => {
    const s = run([{ type: 'pointer-down', p: [0.1, 0.5], hit: { kind: 'vertex', ruleId: 'line-1', index: 0 } }, { type: 'pointer-move', p: [0.3, 0.3] }, { type: 'pointer-up', p: [0.3, 0.3] }]);
    expect(selectedRuleId(s)).toBe('line-1');
    expect(currentRules(s)).toEqual([line]);
    expect(s.tool.kind).toBe('idle');
  });

  it('ignores drawing tools, edits, deletes, flips and undo', () => {
    const s = run([
      { type: 'set-mode', mode: 'line' },
      { type: 'pointer-down', p: [0.2, 0.2], hit: { kind: 'none' } },
      { type: 'update-rule', ruleId: 'line-1', patch: { name: 'x' } },
      { type: 'flip', ruleId: 'line-1' },
      { type: 'delete-rule', ruleId: 'line-1' },
      { type: 'key', key: 'Delete' },
      { type: 'undo' },
    ]);
    expect(s.mode).toBe('select');
    expect(currentRules(s)).toEqual([line]);
  });

  it('Escape and a press on nothing clear the selection', () => {
    expect(selectedRuleId(run([{ type: 'select', ruleId: 'line-1' }, { type: 'key', key: 'Escape' }]))).toBeNull();
    expect(selectedRuleId(run([{ type: 'select', ruleId: 'line-1' }, { type: 'pointer-down', p: [0, 0], hit: { kind: 'none' } }]))).toBeNull();
  });
});
