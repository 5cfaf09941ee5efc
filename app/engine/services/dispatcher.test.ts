import { describe, expect, it, vi } from 'vitest';
import { invokeContract, type InvokeHandlers } from '../../shared/ipc/contracts';
import { AppErrorException } from '../../shared/ipc/envelope';
import { nullLogger } from '../logging/logger';
import { createDispatcher } from './dispatcher';

const ctx = { peer: 'test' };
function handlers(over: Partial<InvokeHandlers> = {}): InvokeHandlers {
  const fail = () => {
    throw new Error('not under test');
  };
  // Every channel fails unless a test gives it a handler (new channels need no edit here).
  const all = Object.fromEntries(Object.keys(invokeContract).map((c) => [c, fail])) as unknown as InvokeHandlers;
  return {
    ...all,
    'app:info': () => ({ host: 'headless', version: '1', dataDir: '/d', platform: 'linux' }),
    'cameras:list': () => [],
    'cameras:remove': ({ id }) => ({ id }),
    'models:list': () => [],
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
    expect(add).toHaveBeenCalledWith({ name: 'Door', source: '/v/a.mp4', rtspTransport: 'tcp', analysisFps: 10, enabled: true, modelId: null, detectionTiling: null, motionGating: { enabled: true, sensitivity: 'medium' } }, ctx);
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
