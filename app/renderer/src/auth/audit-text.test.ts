import { describe, expect, it } from 'vitest';
import type { AuditRowView } from '../../../shared/ipc/audit.contract';
import { auditActionText, auditCsv, auditDetailText, auditLine, auditMatches } from './audit-text';

const names = { camera: (id: string) => (id === '01JCAMERA0000000000000000' ? 'Front door' : undefined) };
const row = (extra: Partial<AuditRowView>): AuditRowView => ({ id: 7, at: '2026-11-27T09:00:00.000Z', actor: 'sue', role: 'supervisor', action: 'rules:save', target: '01JCAMERA0000000000000000', detail: null, prevHash: '0', hash: '1', ...extra });

describe('audit list in plain words', () => {
  it('shows channel titles and event titles, not channel ids', () => {
    expect(auditActionText('rules:save')).not.toBe('rules:save');
    expect(auditActionText('rules:save')).toBe('Save the lines and zones of a camera');
    expect(auditActionText('auth.login-failed')).toBe('Sign-in failed');
    expect(auditActionText('something.new-thing')).toBe('something new thing');
  });

  it('names the camera instead of its ULID and reads details instead of raw JSON', () => {
    const line = auditLine(row({ detail: { cameraId: '01JCAMERA0000000000000000', reason: 'test', enabled: false, points: [[0, 1], [1, 1]] } }), names, (iso) => iso.slice(11, 16));
    expect(line.on).toBe('Front door');
    expect(line.detail).toBe('camera: Front door · reason: test · enabled: no · points: 2 items');
    expect(line.detail).not.toContain('{');
    expect(auditDetailText({ maxPerHour: 5 }, names)).toBe('max per hour: 5');
    expect(auditDetailText({ input: { cameraId: '01JCAMERA0000000000000000', rules: [{}, {}] }, peer: 'ws:1' }, names)).toBe('camera: Front door · rules: 2 items');
  });

  it('searches the words shown', () => {
    const line = auditLine(row({}), names, (iso) => iso);
    expect(auditMatches(line, 'front')).toBe(true);
    expect(auditMatches(line, 'SUE')).toBe(true);
    expect(auditMatches(line, 'nobody')).toBe(false);
  });

  it('exports CSV with neutralised cells (no formula runs in a spreadsheet)', () => {
    const csv = auditCsv([auditLine(row({ actor: '=HYPERLINK("x")', detail: { reason: '+1, "quoted"' } }), names, (iso) => iso)]);
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('row,when,who,role,what,on,detail,action');
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[1]).toContain(`"reason: +1, ""quoted"""`);
  });
});
