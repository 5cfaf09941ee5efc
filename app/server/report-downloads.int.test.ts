import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportProgress } from '../shared/domain/reports';
import { DB_FILE } from '../engine/storage/database';
import { startSecurityHost, type SecurityHost } from './security-host.test-support';
import type { TestSocket } from './test-socket.test-support';

/**
 * Issue 21 item 3 (downloads), through the headless host: a report is downloaded over HTTP with the host's token
 * cookie and a single-use ticket from `downloads:prepare`; paths outside the report folders (`..`, links,
 * absolute paths, the database) are refused with one answer, and the download URL never takes a path.
 */
let h: SecurityHost;
let admin: TestSocket;
let officer: TestSocket;
let outside: string;
beforeAll(async () => {
  h = await startSecurityHost();
  admin = await h.admin();
  officer = (await h.user(admin, 'olu', 'officer')).socket;
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-download-victim-'));
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'not for download');
});
afterAll(async () => {
  await h?.done();
  fs.rmSync(outside, { recursive: true, force: true });
});

/** GET on the host with (or without) its token cookie: status, headers and body bytes. */
function get(urlPath: string, cookie = true): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: h.host.port, path: urlPath, headers: cookie ? { Cookie: `watchroom_token=${h.host.token}` } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
}

async function exportReport(format: 'csv' | 'pdf'): Promise<string> {
  const r = await h.confirmed(admin, 'reports:export', { request: { type: 'daily', from: '2026-11-28' }, format });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const { exportId } = r.value as { exportId: string };
  const final = () => admin.pushes.map((p) => (p as unknown as { payload: ExportProgress }).payload).find((p) => p?.exportId === exportId && p.state !== 'running');
  await expect.poll(final, { timeout: 20_000 }).toBeTruthy();
  expect(final()).toMatchObject({ state: 'done' });
  return final()!.file!;
}

describe('report downloads through the headless host', () => {
  it('downloads a generated report byte for byte, once per ticket, only with the host token', async () => {
    for (const format of ['csv', 'pdf'] as const) {
      const file = await exportReport(format);
      const ticket = (await h.must(admin, 'downloads:prepare', { file })) as { ticket: string; name: string; bytes: number };
      expect(ticket).toMatchObject({ name: path.basename(file), bytes: fs.statSync(file).size });
      expect(ticket.ticket).toMatch(/^[A-Za-z0-9_-]{32}$/);

      const noCookie = await get(`/download/${ticket.ticket}`, false);
      expect(noCookie.status).toBe(403);
      const r = await get(`/download/${ticket.ticket}`);
      expect(r.status).toBe(200);
      expect(r.headers['content-disposition']).toContain(`filename="${path.basename(file)}"`);
      expect(r.body.equals(fs.readFileSync(file))).toBe(true);
      // Single use: the same link again is refused.
      expect((await get(`/download/${ticket.ticket}`)).status).toBe(404);
    }
  });

  it('refuses every path outside the report folders with one answer (traversal, links, absolute paths, the database)', async () => {
    const reports = path.join(h.t.dir, 'reports');
    fs.mkdirSync(reports, { recursive: true });
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(reports, 'planted-link.csv'));
    fs.symlinkSync(outside, path.join(reports, 'planted-folder'));
    const attempts = [
      path.join(reports, '..', DB_FILE),
      `${reports}/../../../../../../../../etc/passwd`,
      '/etc/passwd',
      '../../etc/passwd',
      'reports/../watchroom.db',
      path.join(outside, 'secret.txt'),
      path.join(reports, 'planted-link.csv'),
      path.join(reports, 'planted-folder', 'secret.txt'),
      reports,
      path.join(reports, 'no-such-report.pdf'),
      `${reports}/x.csv\u0000.pdf`,
    ];
    const messages = new Set<string>();
    for (const file of attempts) {
      const r = await admin.invoke('downloads:prepare', { file });
      expect(r.ok, file).toBe(false);
      expect(r.error, file).toMatchObject({ code: 'forbidden' });
      messages.add(r.error!.message);
    }
    expect(messages.size).toBe(1);
  });

  it('the download URL takes no path: traversal in the address gets no file', async () => {
    for (const p of ['/download/..%2f..%2f..%2fetc%2fpasswd', `/download/${encodeURIComponent(path.join(h.t.dir, DB_FILE))}`, '/download/', '/download/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      const r = await get(p);
      expect(r.status, p).not.toBe(200);
      expect(r.body.toString('latin1'), p).not.toMatch(/root:|SQLite format/);
    }
    // `..` segments (plain or %2e-encoded) are resolved by the URL parser before routing: what is left is an
    // ordinary page address, answered with the renderer's page, never the file.
    for (const p of ['/download/../../etc/passwd', '/download/%2e%2e/%2e%2e/etc/passwd']) {
      const r = await get(p);
      expect(r.body.toString('latin1'), p).not.toMatch(/root:|SQLite format/);
      expect(r.headers['content-disposition'], p).toBeUndefined();
    }
  });

  it('an officer (not allowed to make reports) gets no ticket', async () => {
    const file = await exportReport('csv');
    const r = await officer.invoke('downloads:prepare', { file });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('the desktop-only channels explain themselves in the browser host', async () => {
    const file = await exportReport('csv');
    const r = await admin.invoke('downloads:save', { file });
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
