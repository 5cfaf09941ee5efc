import { PERMISSIONS, roleAllows } from '../../shared/auth/permissions';
import type { CallContext, InvokeChannel } from '../../shared/ipc/contracts';
import type { AuditTrail } from './audit-trail';
import { deny, type AuthService } from './auth.service';

/** Hooks the dispatcher runs around every handler (see dispatcher.ts). */
export interface AccessControl {
  /** Before the schema check: who calls (from the peer's session), refusing what the matrix forbids. */
  authorize(channel: InvokeChannel, ctx: CallContext): CallContext;
  /** After the schema check: a sensitive channel uses up its confirmation (password, four-eyes approver). */
  confirm(channel: InvokeChannel, ctx: CallContext): CallContext;
  /** After a successful call: an audit row for every state-changing channel. */
  audited(channel: InvokeChannel, input: unknown, ctx: CallContext, value: unknown): void;
}

/** Channels whose handlers write richer audit rows of their own (failures too): the auth service's. */
const SELF_AUDITED = new Set<InvokeChannel>(['auth:setup', 'auth:login', 'auth:resume', 'auth:logout', 'auth:lock', 'auth:unlock', 'auth:elevate', 'auth:change-password']);
const selfAudited = (c: InvokeChannel): boolean => SELF_AUDITED.has(c);

/**
 * Inputs the audit row must not carry as they are: an enrolment's name and photos are sealed at rest by the
 * watchlist (they would otherwise sit in plain text in the trail, cut at 4 KB, taking the approver with them).
 */
const AUDITED_INPUT: Partial<Record<InvokeChannel, (input: unknown) => unknown>> = {
  'faces:enrol': (input) => {
    const i = input as { category?: unknown; expiresAt?: unknown; photos?: unknown[] };
    return { category: i.category, expiresAt: i.expiresAt, photos: i.photos?.length ?? 0 };
  },
};

/** The first id-like field of an input or an answer: what the action was done to. */
function targetOf(input: unknown, value: unknown): string | null {
  const objs = [input, value].filter((v): v is Record<string, unknown> => !!v && typeof v === 'object');
  for (const k of ['id', 'cameraId', 'eventId', 'userId', 'name']) for (const o of objs) if (typeof o[k] === 'string') return o[k] as string;
  return null;
}

/**
 * The permission matrix and the audit trail in the one request path. A call carries the peer; its user comes
 * from the peer's session (AuthService). In-process callers that pass `ctx.user` themselves (tests, CLI; never a
 * host) act as that user: the matrix still applies, but there is no interactive session to confirm with.
 */
export function createAccessControl(auth: () => AuthService, audit: () => AuditTrail): AccessControl {
  return {
    authorize(channel, ctx) {
      if (ctx.user) {
        const p = PERMISSIONS[channel];
        if (p.min !== 'public' && p.min !== 'session' && !roleAllows(ctx.user.role, channel)) throw deny('role', `Your role (${ctx.user.role}) does not allow this.`);
        return ctx;
      }
      const user = auth().authorize(ctx.peer, channel);
      return user ? { ...ctx, user } : ctx;
    },
    confirm(channel, ctx) {
      if (!PERMISSIONS[channel].confirm || !auth().sessionOf(ctx.peer)) return ctx;
      const { approver } = auth().takeGrant(ctx.peer, channel);
      return approver ? { ...ctx, approver } : ctx;
    },
    audited(channel, input, ctx, value) {
      if (!PERMISSIONS[channel].changes || selfAudited(channel)) return;
      const shown = AUDITED_INPUT[channel];
      const detail: Record<string, unknown> = { input: (shown ? shown(input) : input) ?? null, peer: ctx.peer };
      if (ctx.approver) detail.approver = ctx.approver.name;
      audit().record({ actor: ctx.user, action: channel, target: targetOf(input, value), detail });
    },
  };
}
