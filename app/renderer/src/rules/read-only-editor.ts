import type { EditorEvent } from './rule-editor.reducer';

/**
 * The rule editor for a role that may look but not change (an officer): only selecting passes, so a rule or mask
 * can be picked to read its properties, and nothing can be drawn, dragged, deleted or undone. A press on a rule
 * selects it; a press elsewhere clears the selection; Escape clears it too. Pure, for tests.
 */
export function readOnlyEvent(ev: EditorEvent): EditorEvent | null {
  switch (ev.type) {
    case 'select':
    case 'load':
    case 'saved':
      return ev;
    case 'pointer-down':
      return { type: 'select', ruleId: 'ruleId' in ev.hit ? ev.hit.ruleId : null };
    case 'key':
      return ev.key === 'Escape' ? { type: 'select', ruleId: null } : null;
    default:
      return null;
  }
}
