import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileLogger, type FileLogger } from '../engine/logging/file-logger';
import { DB_FILE } from '../engine/storage/database';
import { startSecurityHost, type SecurityHost } from './security-host.test-support';
import type { TestSocket } from './test-socket.test-support';

/**
 * Security review finding (credentials leaking back), through the headless host's WebSocket: camera and sink credentials never come back to any role,
 * nor reach the log or the audit trail, for the three URL shapes the review found (a password with a space, a
 * password with an @, credentials in the query); an edit cannot send a saved secret to another address.
 */
const CAMERAS = [
  { source: 'rtsp://admin:pass word1@10.9.9.1/s', masked: 'rtsp://admin:***@10.9.9.1/s', secrets: ['pass word1', 'pass%20word1', 'word1'] },
  { source: 'rtsp://admin:p@ss@10.9.9.2/s', masked: 'rtsp://admin:***@10.9.9.2/s', secrets: ['p@ss', ':p@', 'ss@10', 'p%40ss'] },
  { source: 'http://10.9.9.3/video.cgi?user=admin&pwd=Sup3rSecret&res=640', masked: 'http://10.9.9.3/video.cgi?user=***&pwd=***&res=640', secrets: ['Sup3rSecret', 'user=admin'] },
];
const SINK_URL = 'https://hq:S1nkPass@127.0.0.1:9/ingest?token=T0kenValue';
const SINK_MASKED = 'https://hq:***@127.0.0.1:9/ingest?token=***';
const ALL_SECRETS = [...CAMERAS.flatMap((c) => c.secrets), 'S1nkPass', 'T0kenValue'];

let h: SecurityHost;
let log: FileLogger;
let admin: TestSocket;
let viewer: TestSocket;
let sinkId: string;
beforeAll(async () => {
  h = await startSecurityHost({ engineLogger: (dataDir) => (log = createFileLogger({ dataDir, level: 'debug', mirrorToStderr: false })) });
  admin = await h.admin();
  viewer = (await h.user(admin, 'vic', 'viewer')).socket;
  for (const [i, c] of CAMERAS.entries()) expect(await admin.invoke('cameras:add', { name: `Cam ${i}`, source: c.source, enabled: false })).toMatchObject({ ok: true });
  const sink = await h.confirmed(admin, 'export:save', { name: 'HQ', site: 'north', enabled: false, target: { kind: 'https', url: SINK_URL, auth: 'bearer' }, secret: 'bearer-secret' });
  expect(sink).toMatchObject({ ok: true });
  sinkId = (sink.value as { id: string }).id;
});
afterAll(() => h?.done());

const leaks = (text: string) => ALL_SECRETS.filter((s) => text.includes(s));

describe('credentials in camera and sink URLs are masked everywhere (B2)', () => {
  it('camera lists (every role) show the masked source, never a secret', async () => {
    for (const s of [admin, viewer]) {
      const r = await s.invoke('cameras:list');
      expect(r.ok).toBe(true);
      expect((r.value as { source: string }[]).map((c) => c.source)).toEqual(CAMERAS.map((c) => c.masked));
      expect(leaks(JSON.stringify(r.value))).toEqual([]);
    }
  });

  it('export:list returns the sink URL masked; the answer to export:save too', async () => {
    const r = await admin.invoke('export:list');
    expect(r.ok).toBe(true);
    const sinks = (r.value as { sinks: { target: { url: string }; secretSet: boolean }[] }).sinks;
    expect(sinks).toMatchObject([{ target: { url: SINK_MASKED }, secretSet: true }]);
    expect(leaks(JSON.stringify(r.value))).toEqual([]);
  });

  it('an edit sending the masked URL back keeps the saved credentials; pointing them at another host is refused with no change', async () => {
    const stored = () => {
      const db = new Database(path.join(h.t.dir, DB_FILE), { readonly: true });
      try {
        return (db.prepare('SELECT target, updated_at FROM export_sinks WHERE id = ?').get(sinkId) as { target: string; updated_at: string });
      } finally {
        db.close();
      }
    };
    const edit = (url: string) => h.confirmed(admin, 'export:save', { id: sinkId, name: 'HQ', site: 'north', enabled: false, target: { kind: 'https', url, auth: 'bearer' } });
    const before = stored();
    const redirected = await edit(SINK_MASKED.replace('127.0.0.1:9', 'evil.example'));
    expect(redirected).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'The address or user name changed: type the password again.' } });
    expect(stored()).toEqual(before);
    expect(await edit(SINK_MASKED.replace('/ingest', '/ingest2'))).toMatchObject({ ok: true, value: { target: { url: SINK_MASKED.replace('/ingest', '/ingest2') } } });
    expect(JSON.parse(stored().target)).toMatchObject({ url: SINK_URL.replace('/ingest', '/ingest2') });
  });

  it('audit rows and the log hold the masked URLs only', async () => {
    const rows = await admin.invoke('audit:list', { limit: 500 });
    expect(rows.ok).toBe(true);
    const audit = JSON.stringify(rows.value);
    expect(audit).toContain(CAMERAS[0]!.masked);
    expect(audit).toContain(SINK_MASKED);
    expect(leaks(audit)).toEqual([]);
    log.close();
    const logText = fs.readdirSync(path.join(h.t.dir, 'logs')).map((f) => fs.readFileSync(path.join(h.t.dir, 'logs', f), 'utf8')).join('\n');
    expect(logText).toContain(CAMERAS[2]!.masked);
    expect(leaks(logText)).toEqual([]);
  });
});
