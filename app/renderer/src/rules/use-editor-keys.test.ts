import { describe, expect, it } from 'vitest';
import { keyToEvent } from './use-editor-keys';

const k = (key: string, mods: { ctrlKey?: boolean; metaKey?: boolean; shiftKey?: boolean } = {}) => keyToEvent({ key, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });

describe('editor shortcuts', () => {
  it('maps undo/redo, Esc, Enter and Delete', () => {
    expect(k('z', { ctrlKey: true })).toEqual({ type: 'undo' });
    expect(k('Z', { ctrlKey: true, shiftKey: true })).toEqual({ type: 'redo' });
    expect(k('y', { ctrlKey: true })).toEqual({ type: 'redo' });
    expect(k('z', { metaKey: true })).toEqual({ type: 'undo' });
    expect(k('Escape')).toEqual({ type: 'key', key: 'Escape' });
    expect(k('Enter')).toEqual({ type: 'key', key: 'Enter' });
    expect(k('Delete')).toEqual({ type: 'key', key: 'Delete' });
    expect(k('Backspace')).toEqual({ type: 'key', key: 'Delete' });
    expect(k('a')).toBeNull();
    expect(k('s', { ctrlKey: true })).toBeNull();
  });
});
