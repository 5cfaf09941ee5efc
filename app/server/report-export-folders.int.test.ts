import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportProgress } from '../shared/domain/reports';
import { TEST_PASSWORD } from '../engine/auth/as-role.test-support';
import { startSecurityHost, type SecurityHost } from './security-host.test-support';
import type { TestSocket } from './test-socket.test-support';

/**
 * Security review finding (report exports writing anywhere), through the headless host's WebSocket: a report export writes only into a report folder (the
 * default <data dir>/reports, or one an admin added), never over an existing file, and its refusals do not tell
 * what exists elsewhere.
 */
let h: SecurityHost;
let admin: TestSocket;
let sue: TestSocket;
let victim: string;
beforeAll(async () => {
  h = await startSecurityHost();
  admin = await h.admin();
  sue = (await h.user(admin, 'sue', 'supervisor')).socket;
  victim = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-export-victim-'));
  fs.writeFileSync(path.join(victim, 'keep.txt'), 'precious');
});
afterAll(async () => {
  await h?.done();
  fs.rmSync(victim, { recursive: true, force: true });
});

const REQUEST = { request: { type: 'daily', from: '2026-11-28' }, format: 'csv' };

/** Confirms and starts an export; resolves with its final progress push (or the refusal). */
async function exportTo(folder?: string) {
  const r = await h.confirmed(sue, 'reports:export', { ...REQUEST, ...(folder !== undefined ? { folder } : {}) });
  if (!r.ok) return { refused: r.error! };
  const { exportId } = r.value as { exportId: string };
  const final = () => sue.pushes.map((p) => (p as unknown as { payload: ExportProgress }).payload).find((p) => p?.exportId === exportId && p.state !== 'running');
  await expect.poll(final, { timeout: 20_000 }).toBeTruthy();
  return { done: final()! };
}

describe('report export destinations (B4)', () => {
  it('refuses folders outside the report folders with one answer whether they exist or not; nothing is written', async () => {
    const attempts = [
      `${h.t.dir}/reports/../../${path.basename(victim)}`,
      path.join(h.t.dir, 'reports', '..', '..', '..', '..', '..', '..', '..', 'etc'),
      victim,
      path.join(victim, 'does-not-exist'),
      '/no/such/folder/anywhere',
      path.join(h.t.dir, 'reports', 'sub'),
    ];
    const messages = new Set<string>();
    for (const folder of attempts) {
      const { refused } = await exportTo(folder);
      expect(refused, folder).toMatchObject({ code: 'forbidden', details: { reason: 'folder' } });
      messages.add(refused!.message);
    }
    expect([...messages]).toEqual([`Reports are written only to the report folders an admin allowed: ${path.join(h.t.dir, 'reports')}. Choose one of these, or ask an admin to add a folder (Settings → Report folders).`]);
    expect(fs.readdirSync(victim)).toEqual(['keep.txt']);
    expect(fs.existsSync(path.join(h.t.dir, 'reports', 'sub'))).toBe(false);
  });

  it('never overwrites: an existing file keeps its content and the new report gets a suffix', async () => {
    const first = await exportTo();
    expect(first.done).toMatchObject({ state: 'done' });
    const file = first.done!.file!;
    expect(path.dirname(file)).toBe(path.join(h.t.dir, 'reports'));
    fs.writeFileSync(file, 'a report someone signed');
    const second = await exportTo();
    expect(second.done).toMatchObject({ state: 'done', file: file.replace(/\.csv$/, '-2.csv') });
    expect(fs.readFileSync(file, 'utf8')).toBe('a report someone signed');
    // A planted link under the next name is not followed either.
    fs.symlinkSync(path.join(victim, 'keep.txt'), file.replace(/\.csv$/, '-3.csv'));
    const third = await exportTo();
    expect(third.done).toMatchObject({ state: 'done', file: file.replace(/\.csv$/, '-4.csv') });
    expect(fs.readFileSync(path.join(victim, 'keep.txt'), 'utf8')).toBe('precious');
  });

  it('a folder an admin added is accepted (an admin only adds existing, writable folders; none is created)', async () => {
    expect(await h.confirmed(admin, 'reports:folders-set', { folders: [path.join(victim, 'new')] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(fs.existsSync(path.join(victim, 'new'))).toBe(false);
    expect(await sue.invoke('reports:folders-set', { folders: [victim] })).toMatchObject({ ok: false, error: { details: { reason: 'role' } } });
    expect(await h.confirmed(admin, 'reports:folders-set', { folders: [victim] }, TEST_PASSWORD)).toMatchObject({ ok: true, value: { folders: [fs.realpathSync(victim)] } });
    const r = await exportTo(victim);
    expect(r.done).toMatchObject({ state: 'done' });
    expect(path.dirname(r.done!.file!)).toBe(fs.realpathSync(victim));
    expect(fs.readFileSync(path.join(victim, 'keep.txt'), 'utf8')).toBe('precious');
  });
});
