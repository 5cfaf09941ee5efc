import { describe, expect, it } from 'vitest';
import type { AuditRowView } from '../../../shared/ipc/audit.contract';
import { invokeContract } from '../../../shared/ipc/contracts';
import { auditActionText, auditAreaFilters, auditCsv, auditDetailText, auditLine, auditMatches } from './audit-text';

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

  it('the "What" filter offers every area of the contracts, each matching its channels and its own engine events', () => {
    const filters = auditAreaFilters();
    expect(filters[0]).toEqual({ prefix: '', label: 'Everything' });
    const areas = filters.slice(1);
    // The newer areas are there, in words.
    for (const label of ['Playback and evidence exports', 'Recordings', 'Face watchlist', 'Site settings', 'Downloads of reports and exports', 'Detection models', 'Users and passwords']) expect(areas.map((a) => a.label)).toContain(label);
    expect(new Set(areas.map((a) => a.prefix)).size).toBe(areas.length);
    // Every channel (what the dispatcher writes) falls under exactly one area's prefix.
    for (const channel of Object.keys(invokeContract)) expect(areas.filter((a) => channel.startsWith(a.prefix)).map((a) => a.prefix), channel).toHaveLength(1);
    // The engine's own events land in their area too.
    const under = (action: string) => areas.filter((a) => action.startsWith(a.prefix)).map((a) => a.label);
    expect(under('mask.lift')).toEqual(['Privacy masks']);
    expect(under('masks.save')).toEqual(['Privacy masks']);
    expect(under('evidence.export')).toEqual(['Playback and evidence exports']);
    expect(under('faces.match.view')).toEqual(['Face watchlist']);
    expect(under('retention.run')).toEqual(['Retention']);
    expect(under('users.setup-admin')).toEqual(['Users and passwords']);
    expect(under('audit.head-sealed')).toEqual(['Audit trail']);
    expect(under('auth.password-changed')).toEqual(['Sign-in, lock and confirmations']);
  });

  it('names users instead of their ids where the accounts are known (admins)', () => {
    const withUsers = { ...names, user: (id: string) => (id === '01JUSER00000000000000000000' ? 'fiona' : undefined) };
    const line = auditLine(row({ action: 'users:reset-password', target: '01JUSER00000000000000000000', detail: { input: { id: '01JUSER00000000000000000000', password: '[redacted]' } } }), withUsers, (iso) => iso);
    expect(line).toMatchObject({ what: 'Set a temporary password for a user', on: 'fiona', detail: 'user: fiona · password: [redacted]' });
    expect(auditLine(row({ target: '01JUSER00000000000000000000' }), names, (iso) => iso).on).toBe('01JUSER00000000000000000000');
    // A confirmation names the action it was for, in words.
    expect(auditLine(row({ action: 'auth.confirmed', target: 'users:reset-password' }), names, (iso) => iso)).toMatchObject({ what: 'Confirmed with password', on: 'Set a temporary password for a user' });
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
