import { describe, expect, it } from 'vitest';
import { amendNotes, classText, directionText, rowNote } from './amend-text';

const plain = { direction: 'in' as const, originalDirection: 'in' as const, cls: 'person', originalCls: 'person', voided: false, voidedBy: null, voidReason: null, corrected: false, correctedBy: null, correctionReason: null };

describe('amend text', () => {
  it('says nothing extra for a row as recorded', () => {
    expect([directionText(plain), classText(plain), rowNote(plain)]).toEqual(['in', 'person', '']);
    expect(amendNotes(plain)).toEqual({ voided: null, corrected: null, changes: null });
    expect(directionText({ ...plain, direction: null, originalDirection: null })).toBe('');
  });

  it('notes the recorded value beside a corrected one, and who corrected it and why', () => {
    const r = { ...plain, direction: 'out' as const, cls: 'car', corrected: true, correctedBy: 'sam', correctionReason: 'a van' };
    expect(directionText(r)).toBe('out (was in)');
    expect(classText(r)).toBe('car (was person)');
    expect(amendNotes(r)).toEqual({ voided: null, corrected: 'Corrected by sam: a van', changes: 'Direction: out (was in) · Object: car (was person)' });
    expect(rowNote(r)).toBe('Corrected by sam: a van \u2014 Direction: out (was in) \u00b7 Object: car (was person)');
    expect(rowNote({ ...r, direction: 'in', cls: 'person' })).toBe('Corrected by sam: a van'); // e.g. only the count changed
  });

  it('names who voided a row and why; the void wins in the list', () => {
    const r = { ...plain, voided: true, voidedBy: 'sam', voidReason: 'reflection', corrected: true, correctedBy: 'kim', correctionReason: 'x', cls: 'car' };
    expect(rowNote(r)).toBe('Voided by sam: reflection');
    expect(amendNotes({ ...r, voidedBy: null }).voided).toBe('Voided by unknown: reflection');
  });
});
