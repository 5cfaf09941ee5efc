import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../engine/auth/as-role.test-support';
import { startSecurityHost, type SecurityHost } from './security-host.test-support';
import type { TestSocket } from './test-socket.test-support';

/**
 * Security review finding (schedules skipping the export's confirmation), through the headless host's WebSocket: saving a scheduled report needs the same confirmation as
 * an export (password; four-eyes when the policy asks it for reports:export) and only a report folder an admin
 * allowed; no folder is created.
 */
let h: SecurityHost;
let admin: TestSocket;
let sam: TestSocket;
let outside: string;
beforeAll(async () => {
  h = await startSecurityHost();
  admin = await h.admin();
  sam = (await h.user(admin, 'sam', 'supervisor')).socket;
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-sched-outside-'));
});
afterAll(async () => {
  await h?.done();
  fs.rmSync(outside, { recursive: true, force: true });
});

const schedule = (folder: string) => ({ type: 'daily', format: 'csv', time: '19:00', weekday: null, folder });

describe('scheduled reports are confirmed like exports and stay in allowed folders (B3)', () => {
  it('refuses a schedule without confirmation, and one into any other folder; nothing is saved or created', async () => {
    const deep = path.join(outside, 'made', 'up');
    // The attack: a schedule straight away, into a folder that does not exist (it used to be created).
    expect(await sam.invoke('reports:schedule-save', schedule(deep))).toMatchObject({ ok: false, error: { code: 'forbidden', details: { reason: 'confirm' } } });
    // Confirmed, but into folders no admin allowed (missing or existing: the same answer).
    for (const folder of [deep, outside, `${outside}/../${path.basename(outside)}`, '/etc']) {
      expect(await sam.invoke('auth:elevate', { channel: 'reports:schedule-save', password: TEST_PASSWORD })).toMatchObject({ ok: true });
      const r = await sam.invoke('reports:schedule-save', schedule(folder));
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', details: { reason: 'folder' } } });
      expect(r.error!.message).toMatch(/^Reports are written only to the report folders an admin allowed: .*reports\./);
      expect(r.error!.message).not.toContain(folder);
    }
    expect(await h.must(sam, 'reports:schedules', {})).toEqual([]);
    expect(fs.existsSync(path.join(outside, 'made'))).toBe(false);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('four-eyes for exports applies to schedules; an admin-allowed folder is accepted', async () => {
    expect((await h.confirmed(admin, 'auth:set-policy', { idleLockMinutes: 10, fourEyes: ['reports:export'] })).ok).toBe(true);
    expect((await h.confirmed(admin, 'reports:folders-set', { folders: [outside] })).ok).toBe(true);
    // The password alone no longer does.
    expect(await sam.invoke('auth:elevate', { channel: 'reports:schedule-save', password: TEST_PASSWORD })).toMatchObject({ ok: false, error: { details: { reason: 'confirm', confirm: 'four-eyes' } } });
    expect(await sam.invoke('reports:schedule-save', schedule(outside))).toMatchObject({ ok: false, error: { details: { reason: 'confirm', confirm: 'four-eyes' } } });
    expect(await h.must(sam, 'reports:schedules', {})).toEqual([]);
    // With the admin's approval it is saved, and the audit row names the approver.
    expect(await sam.invoke('auth:elevate', { channel: 'reports:schedule-save', password: TEST_PASSWORD, approver: { name: 'admin', password: TEST_PASSWORD } })).toMatchObject({ ok: true });
    expect(await sam.invoke('reports:schedule-save', schedule(outside))).toMatchObject({ ok: true, value: { folder: fs.realpathSync(outside) } });
    const rows = (await h.must(admin, 'audit:list', { action: 'reports:schedule-save' })) as { actor: string; detail: { approver?: string } }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'sam', detail: { approver: 'admin' } });
    // The folder policy is not a four-eyes choice of its own.
    const policy = await admin.invoke('auth:elevate', { channel: 'auth:set-policy', password: TEST_PASSWORD });
    expect(policy.ok).toBe(true);
    expect(await admin.invoke('auth:set-policy', { idleLockMinutes: 10, fourEyes: ['reports:schedule-save'] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
