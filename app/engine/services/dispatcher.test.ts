import { describe, expect, it, vi } from 'vitest';
import type { InvokeHandlers } from '../../shared/ipc/contracts';
import { AppErrorException } from '../../shared/ipc/envelope';
import { nullLogger } from '../logging/logger';
import { createDispatcher } from './dispatcher';

const ctx = { peer: 'test' };
function handlers(over: Partial<InvokeHandlers> = {}): InvokeHandlers {
  const fail = () => {
    throw new Error('not under test');
  };
  return {
    'app:info': () => ({ host: 'headless', version: '1', dataDir: '/d', platform: 'linux' }),
    'cameras:list': () => [],
    'cameras:add': fail,
    'cameras:update': fail,
    'cameras:remove': ({ id }) => ({ id }),
    'cameras:set-enabled': fail,
    'health:get': fail,
    'models:list': () => [],
    'models:set-default': fail,
    'models:status': fail,
    'events:list': fail,
    'events:void': fail,
    'events:correct': fail,
    'counts:totals': fail,
    'rules:dry-run': fail,
    'rules:get': fail,
    'rules:save': fail,
    'masks:get': fail,
    'masks:save': fail,
    'masks:lift': fail,
    'masks:restore': fail,
    'retention:get': fail,
    'retention:set': fail,
    'retention:run': fail,
    'reports:build': fail,
    'reports:export': fail,
    'reports:cancel-export': fail,
    'reports:book-add': fail,
    'reports:book-list': fail,
    'reports:shift-current': fail,
    'reports:shift-sign-off': fail,
    'reports:schedules': fail,
    'reports:schedule-save': fail,
    'reports:schedule-remove': fail,
    'alarms:list': fail,
    'alarms:get': fail,
    'alarms:acknowledge': fail,
    'alarms:hold': fail,
    'alarms:resume': fail,
    'alarms:close': fail,
    'alarms:snapshot': fail,
    'alarms:rule-stats': fail,
    'alarms:arming': fail,
    'alarms:arm': fail,
    'alarms:disarm': fail,
    'alarms:set-switch': fail,
    'alarms:settings-get': fail,
    'alarms:settings-set': fail,
    'site:settings-get': fail,
    'site:settings-set': fail,
    'layouts:list': fail,
    'layouts:save': fail,
    'layouts:delete': fail,
    'layouts:set-current': fail,
    'layouts:current': fail,
    'export:list': fail,
    'export:save': fail,
    'export:remove': fail,
    'export:test': fail,
    'export:dead-letters': fail,
    'export:retry-dead-letters': fail,
    'export:replay': fail,
    ...over,
  };
}

describe('dispatcher', () => {
  it('answers with the value in an envelope', async () => {
    const d = createDispatcher({ handlers: handlers(), logger: nullLogger });
    expect(await d('app:info', undefined, ctx)).toEqual({ ok: true, value: { host: 'headless', version: '1', dataDir: '/d', platform: 'linux' } });
  });

  it('refuses unknown channels, including prototype keys', async () => {
    const d = createDispatcher({ handlers: handlers(), logger: nullLogger });
    for (const ch of ['nope', '__proto__', 'constructor', 42, null]) {
      expect(await d(ch, undefined, ctx)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
  });

  it('refuses invalid input with zod issues and never calls the handler', async () => {
    const add = vi.fn();
    const d = createDispatcher({ handlers: handlers({ 'cameras:add': add }), logger: nullLogger });
    const r = await d('cameras:add', { name: '', source: 'ftp://x' }, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-input');
      expect(r.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: ['name'] }), expect.objectContaining({ path: ['source'] })]));
    }
    expect(add).not.toHaveBeenCalled();
    expect(await d('cameras:remove', { id: '../etc' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('passes parsed input (defaults applied) to the handler', async () => {
    const add = vi.fn((input) => ({ ...input, id: 'a', sourceKind: 'file', createdAt: 'x', updatedAt: 'x', state: { type: 'disabled' } }));
    const d = createDispatcher({ handlers: handlers({ 'cameras:add': add }), logger: nullLogger });
    const r = await d('cameras:add', { name: ' Door ', source: '/v/a.mp4' }, ctx);
    expect(add).toHaveBeenCalledWith({ name: 'Door', source: '/v/a.mp4', rtspTransport: 'tcp', analysisFps: 10, enabled: true, modelId: null }, ctx);
    expect(r.ok).toBe(true);
  });

  it('maps handler errors; internal errors hide their message', async () => {
    const d = createDispatcher({
      handlers: handlers({
        'cameras:remove': () => {
          throw new AppErrorException('not-found', 'gone');
        },
        'cameras:list': () => {
          throw new Error('SQLITE_IOERR at /secret/path');
        },
      }),
      logger: nullLogger,
    });
    expect(await d('cameras:remove', { id: 'x' }, ctx)).toEqual({ ok: false, error: { code: 'not-found', message: 'gone' } });
    const r = await d('cameras:list', undefined, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(r)).not.toContain('/secret/path');
  });

  it('validates outputs when asked, and strips unknown fields', async () => {
    const bad = createDispatcher({ handlers: handlers({ 'cameras:remove': () => ({ id: 5 }) as never }), logger: nullLogger, validateOutputs: true });
    expect(await bad('cameras:remove', { id: 'x' }, ctx)).toMatchObject({ ok: false, error: { code: 'internal' } });
    const extra = createDispatcher({ handlers: handlers({ 'cameras:remove': () => ({ id: 'x', password: 'p' }) as never }), logger: nullLogger, validateOutputs: true });
    expect(await extra('cameras:remove', { id: 'x' }, ctx)).toEqual({ ok: true, value: { id: 'x' } });
  });
});
