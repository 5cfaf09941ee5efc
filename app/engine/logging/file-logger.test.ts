import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileLogger } from './file-logger';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-log-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const lines = (f: string) => fs.readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('file logger', () => {
  it('writes JSON lines with child fields, honours the level and never writes secrets', () => {
    const log = createFileLogger({ dataDir: tmp(), level: 'info', mirrorToStderr: false });
    log.debug('hidden');
    log.child({ component: 'camera' }).info('opening rtsp://admin:hunter2@10.0.0.1/s', {
      source: 'rtsp://admin:hunter2@10.0.0.1/s',
      nested: { password: 'hunter2', list: ['see http://u:hunter2@h/x'] },
      token: 'abc',
      apiToken: 'abc',
    });
    log.close();
    const raw = fs.readFileSync(log.file, 'utf8');
    expect(raw).not.toContain('hunter2');
    expect(raw).not.toContain('"abc"');
    const [entry] = lines(log.file);
    expect(entry).toMatchObject({ level: 'info', component: 'camera', source: 'rtsp://admin:***@10.0.0.1/s', msg: 'opening rtsp://admin:***@10.0.0.1/s' });
    expect(lines(log.file)).toHaveLength(1);
  });

  it('rotates by size and keeps a bounded number of files', () => {
    const dir = tmp();
    const log = createFileLogger({ dataDir: dir, maxBytes: 500, maxFiles: 2, mirrorToStderr: false });
    for (let i = 0; i < 60; i++) log.info('line', { i, pad: 'x'.repeat(40) });
    log.close();
    const files = fs.readdirSync(path.join(dir, 'logs')).sort();
    expect(files).toEqual(['watchroom.log', 'watchroom.log.1', 'watchroom.log.2']);
    for (const f of files) expect(fs.statSync(path.join(dir, 'logs', f)).size).toBeLessThanOrEqual(500);
    expect(lines(log.file).at(-1)).toMatchObject({ i: 59 });
  });
});
