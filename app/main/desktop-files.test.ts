import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserWindow } from 'electron';
import { createUser, setupAdmin, signIn } from '../engine/auth/as-role.test-support';
import { authTestEngine } from '../engine/auth/engine-auth.test-support';
import { nullLogger } from '../engine/logging/logger';
import { FakeDialog, FakeShell } from './__fakes__/electron';
import { withDesktopFiles } from './desktop-files';

let t: ReturnType<typeof authTestEngine>;
let report: string;
let away: string;
const dialog = new FakeDialog();
const shell = new FakeShell();
let dispatch: ReturnType<typeof withDesktopFiles>;
const admin = { peer: 'electron:1' };
const officer = { peer: 'electron:2' };

beforeAll(async () => {
  t = authTestEngine();
  await setupAdmin(t.engine, admin.peer);
  await createUser(t.engine, admin.peer, 'olu', 'officer');
  await signIn(t.engine, officer.peer, 'olu');
  fs.mkdirSync(path.join(t.dir, 'reports'), { recursive: true });
  report = path.join(t.dir, 'reports', 'daily-2026-11-28.csv');
  fs.writeFileSync(report, 'section,period_start\r\nbucket,2026-11-28T00:00:00+01:00\r\n');
  away = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-save-to-'));
  dispatch = withDesktopFiles({ dispatch: t.engine.dispatch, downloads: t.engine.downloads, dialog, shell, window: () => ({}) as BrowserWindow, logger: nullLogger });
});
afterAll(async () => {
  await t.done();
  fs.rmSync(away, { recursive: true, force: true });
});

describe('desktop downloads (Electron main, faked dialog and shell)', () => {
  it('saves a copy where the officer chose, with the report name offered; a cancelled dialog saves nothing', async () => {
    dialog.next = path.join(away, 'copy.csv');
    expect(await dispatch('downloads:save', { file: report }, admin)).toEqual({ ok: true, value: { saved: true, to: path.join(away, 'copy.csv') } });
    expect(dialog.asked.at(-1)?.defaultPath).toBe('daily-2026-11-28.csv');
    expect(fs.readFileSync(path.join(away, 'copy.csv')).equals(fs.readFileSync(report))).toBe(true);
    dialog.next = null;
    expect(await dispatch('downloads:save', { file: report }, admin)).toEqual({ ok: true, value: { saved: false, to: null } });
    expect(fs.readdirSync(away)).toEqual(['copy.csv']);
  });

  it('opens a report with the OS; a file outside the report folders never reaches the dialog or the shell', async () => {
    expect(await dispatch('downloads:open', { file: report }, admin)).toEqual({ ok: true, value: { opened: true } });
    expect(shell.opened).toEqual([fs.realpathSync(report)]);
    const asked = dialog.asked.length;
    for (const file of [path.join(t.dir, 'reports', '..', 'watchroom.db'), '/etc/passwd']) {
      expect(await dispatch('downloads:open', { file }, admin)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await dispatch('downloads:save', { file }, admin)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(shell.opened).toHaveLength(1);
    expect(dialog.asked).toHaveLength(asked);
  });

  it('a role that may not make reports gets neither (the engine decides)', async () => {
    expect(await dispatch('downloads:save', { file: report }, officer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await dispatch('site:settings-get', {}, officer)).toMatchObject({ ok: true });
  });
});
