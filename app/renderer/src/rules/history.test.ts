import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, commitFrom, HISTORY_LIMIT, historyOf, pushHistory, redo, replacePresent, undo } from './history';

describe('history', () => {
  it('undoes and redoes whole snapshots; a push clears redo', () => {
    let h = historyOf<string[]>([]);
    const a = ['a'];
    const ab = ['a', 'b'];
    h = pushHistory(pushHistory(h, a), ab);
    expect(h.present).toBe(ab);
    h = undo(h);
    expect(h.present).toBe(a);
    expect(canRedo(h)).toBe(true);
    h = redo(h);
    expect(h.present).toBe(ab);
    h = undo(undo(h));
    expect(h.present).toEqual([]);
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBe(h);
    h = pushHistory(h, ['c']);
    expect(canRedo(h)).toBe(false);
    expect(redo(h)).toBe(h);
  });

  it('replaces the present during a drag and commits one step from the origin', () => {
    const origin = [1];
    let h = historyOf(origin);
    h = replacePresent(replacePresent(h, [2]), [3]);
    expect(h.past).toEqual([]);
    h = commitFrom(h, origin);
    expect(h.past).toEqual([origin]);
    expect(undo(h).present).toBe(origin);
    expect(commitFrom(h, h.present)).toBe(h);
  });

  it('keeps at most HISTORY_LIMIT steps', () => {
    let h = historyOf(0);
    for (let i = 1; i <= HISTORY_LIMIT + 20; i++) h = pushHistory(h, i);
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(h.past[0]).toBe(20);
  });
});
