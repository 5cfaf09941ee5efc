import { describe, expect, it } from 'vitest';
import type { Logger } from './logger';
import { REDACTED } from './redact';
import { createWorkerLogger, writeWorkerLog, type WorkerLogMessage } from './worker-logger';

describe('worker logger: a worker logs through its parent, redacted before the line leaves', () => {
  it('masks URL credentials in the message and fields, drops secret-named fields, keeps child fields', () => {
    const sent: WorkerLogMessage[] = [];
    const log = createWorkerLogger((m) => sent.push(m)).child({ stage: 'connect' });
    log.warn('ffmpeg exited: rtsp://admin:S3cretPw@10.0.0.5:554/s refused', { source: 'rtsp://admin:S3cretPw@10.0.0.5/s', password: 'S3cretPw', attempt: 2 });
    log.info('plain');
    expect(sent).toEqual([
      {
        type: 'log',
        level: 'warn',
        msg: 'ffmpeg exited: rtsp://admin:***@10.0.0.5:554/s refused',
        fields: { stage: 'connect', source: 'rtsp://admin:***@10.0.0.5/s', password: REDACTED, attempt: 2 },
      },
      { type: 'log', level: 'info', msg: 'plain', fields: { stage: 'connect' } },
    ]);
    expect(JSON.stringify(sent)).not.toContain('S3cretPw');
  });

  it('an Error field arrives as plain, redacted data (it crosses a process boundary)', () => {
    const sent: WorkerLogMessage[] = [];
    createWorkerLogger((m) => sent.push(m)).error('camera worker failed', { err: new Error('open rtsp://u:pw1@h/x failed') });
    expect(sent[0]!.fields!.err).toMatchObject({ name: 'Error', message: 'open rtsp://u:***@h/x failed' });
    expect(JSON.stringify(sent)).not.toContain('pw1');
  });

  it('a channel that throws (parent gone) does not throw into the worker', () => {
    const log = createWorkerLogger(() => {
      throw new Error('channel closed');
    });
    expect(() => log.error('x')).not.toThrow();
  });

  it('the parent writes the line through its own logger at its level (unknown levels as info)', () => {
    const lines: string[] = [];
    const rec = (level: string) => (msg: string, f?: Record<string, unknown>) => void lines.push(`${level} ${msg} ${JSON.stringify(f ?? {})}`);
    const parent: Logger = { debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error'), child: () => parent };
    writeWorkerLog(parent, { type: 'log', level: 'warn', msg: 'm1', fields: { a: 1 } });
    writeWorkerLog(parent, { type: 'log', level: 'loud' as never, msg: 'm2' });
    expect(lines).toEqual(['warn m1 {"a":1}', 'info m2 {}']);
  });
});
