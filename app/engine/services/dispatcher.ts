import { invokeContract, isInvokeChannel, type CallContext, type InvokeHandlers } from '../../shared/ipc/contracts';
import { toAppError, type Envelope } from '../../shared/ipc/envelope';
import type { Logger } from '../logging/logger';
import type { AccessControl } from '../auth/access-control';

/** Options of the one request path shared by Electron IPC and the headless WebSocket. */
export interface DispatcherOptions {
  handlers: InvokeHandlers;
  logger: Logger;
  /** Validate (and strip) handler outputs against the contract; default on unless NODE_ENV=production. */
  validateOutputs?: boolean;
  /** Permission matrix, confirmations and audit rows around every handler (absent: no checks, for unit tests of the dispatcher itself). */
  access?: AccessControl;
}

export type Dispatch = (channel: unknown, input: unknown, ctx: CallContext) => Promise<Envelope<unknown>>;

/**
 * Untrusted (channel, input) -> envelope. Never throws: unknown channel or a payload failing its schema is
 * `invalid-input` (with zod issues as details), handler errors go through toAppError, and in development an
 * output that breaks its own contract is an `internal` error instead of reaching the renderer.
 */
export function createDispatcher(options: DispatcherOptions): Dispatch {
  const validate = options.validateOutputs ?? process.env.NODE_ENV !== 'production';
  const log = options.logger.child({ component: 'dispatcher' });
  return async (channel, input, ctx) => {
    if (!isInvokeChannel(channel)) {
      return { ok: false, error: { code: 'invalid-input', message: `Unknown request "${String(channel).slice(0, 80)}".` } };
    }
    const spec = invokeContract[channel];
    const access = options.access;
    try {
      // The session and the permission matrix come first: a caller without the right learns nothing about the schema.
      if (access) ctx = access.authorize(channel, ctx);
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code }));
      return { ok: false, error: { code: 'invalid-input', message: details[0]?.message ?? 'Invalid request.', details } };
    }
    let value: unknown;
    try {
      if (access) ctx = access.confirm(channel, ctx);
      const handler = options.handlers[channel] as (input: unknown, ctx: CallContext) => unknown;
      value = await handler(parsed.data, ctx);
      if (access) {
        try {
          access.audited(channel, parsed.data, ctx, value);
        } catch (err) {
          log.error('audit row could not be written', { channel, peer: ctx.peer, err });
        }
      }
    } catch (err) {
      const error = toAppError(err);
      if (error.code === 'internal') log.error('request failed', { channel, peer: ctx.peer, err });
      else log.debug('request refused', { channel, peer: ctx.peer, code: error.code });
      return { ok: false, error: error.code === 'internal' ? { code: 'internal', message: 'Something went wrong inside Watchroom; see the log.' } : error };
    }
    if (validate) {
      const out = spec.output.safeParse(value);
      if (!out.success) {
        log.error('handler output breaks its contract', { channel, issues: out.error.issues.slice(0, 5) });
        return { ok: false, error: { code: 'internal', message: `The answer to "${channel}" broke its contract.` } };
      }
      value = out.data;
    }
    return { ok: true, value };
  };
}
