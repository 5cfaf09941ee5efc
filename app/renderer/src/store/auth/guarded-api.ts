import { errorDetails } from '../../api/api-error';
import type { HostApi } from '../../api/select-api';
import type { WatchroomApi } from '../../../../shared/api';
import { PERMISSIONS } from '../../../../shared/auth/permissions';
import { isInvokeChannel } from '../../../../shared/ipc/contracts';

/** What the guard asks of the auth slice. */
export interface GuardHooks {
  /** The session handle of this window (from sign-in), to re-attach after a reconnect or reload. */
  sessionToken(): string | null;
  /** The host says this window is signed out and re-attaching failed. */
  onSignedOut(): void;
  /** The host says the session is locked. */
  onLocked(): void;
  /** The host says the user must choose their own password (an admin chose the current one) before anything else. */
  onMustChangePassword(): void;
  /** A sensitive call needs the password (or four-eyes): resolves true once confirmed, false if cancelled. */
  askConfirm(channel: string, kind: 'password' | 'four-eyes'): Promise<boolean>;
}

const reasonOf = (e: unknown): { reason?: string; confirm?: 'password' | 'four-eyes' } => (errorDetails(e) as { reason?: string; confirm?: 'password' | 'four-eyes' } | undefined) ?? {};

/**
 * The API every store action uses: the host's, plus the one generic answer to the permission checks — a call
 * refused for `signed-out` re-attaches the session once and retries, `locked` shows the lock screen,
 * `password-change` shows "Choose your own password", and `confirm` opens the confirmation dialog and retries once confirmed. Works for every channel, present or future.
 */
export function guardApi(api: HostApi, hooks: GuardHooks): HostApi {
  const raw = api.invoke.bind(api) as (channel: string, ...input: unknown[]) => Promise<unknown>;
  const invoke = async (channel: string, ...input: unknown[]): Promise<unknown> => {
    try {
      return await raw(channel, ...input);
    } catch (e) {
      // Sign-in, lock and confirmation channels answer for themselves.
      const level = isInvokeChannel(channel) ? PERMISSIONS[channel].min : 'public';
      if ((e as { code?: string }).code !== 'forbidden' || level === 'public' || level === 'session') throw e;
      const { reason, confirm } = reasonOf(e);
      if (reason === 'signed-out') {
        const token = hooks.sessionToken();
        if (token) {
          try {
            await raw('auth:resume', { session: token });
            return await raw(channel, ...input);
          } catch {
            /* fall through */
          }
        }
        hooks.onSignedOut();
      } else if (reason === 'locked') hooks.onLocked();
      else if (reason === 'password-change') hooks.onMustChangePassword();
      else if (reason === 'confirm' && confirm) {
        if (await hooks.askConfirm(channel, confirm)) return raw(channel, ...input);
      }
      throw e;
    }
  };
  return {
    invoke: invoke as WatchroomApi['invoke'],
    on: api.on.bind(api) as WatchroomApi['on'],
    subscribeFrames: api.subscribeFrames.bind(api),
    status: api.status.bind(api),
    onStatus: api.onStatus.bind(api),
  };
}
