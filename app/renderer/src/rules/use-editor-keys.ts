import { useEffect, type Dispatch } from 'react';
import type { EditorEvent } from './rule-editor.reducer';

/** Whether a key event belongs to a text field (typing there must not edit the drawing). */
function inField(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean } | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable === true);
}

/** Maps a keyboard event to an editor event (pure, for tests); null when the key means nothing here. */
export function keyToEvent(e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }): EditorEvent | null {
  const mod = e.ctrlKey || e.metaKey;
  const k = e.key.toLowerCase();
  if (mod && k === 'z') return { type: e.shiftKey ? 'redo' : 'undo' };
  if (mod && k === 'y') return { type: 'redo' };
  if (mod) return null;
  if (e.key === 'Escape') return { type: 'key', key: 'Escape' };
  if (e.key === 'Enter') return { type: 'key', key: 'Enter' };
  if (e.key === 'Delete' || e.key === 'Backspace') return { type: 'key', key: 'Delete' };
  return null;
}

/** Editor shortcuts on the window while the editor is open: undo/redo, Esc, Enter, Delete. */
export function useEditorKeys(dispatch: Dispatch<EditorEvent>): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (inField(e.target) && e.key !== 'Escape') return;
      const ev = keyToEvent(e);
      if (!ev) return;
      e.preventDefault();
      dispatch(ev);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dispatch]);
}
