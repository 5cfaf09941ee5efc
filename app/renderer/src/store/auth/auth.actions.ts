import type { Role } from '../../../../shared/domain/user';
import type { AuthPolicy } from '../../../../shared/ipc/auth.contract';
import { errorDetails, errorMessage } from '../../api/api-error';
import type { HostApi } from '../../api/select-api';
import type { StoreDeps } from '../store-deps';
import { initialAuthState, type AuthState } from './auth.state';
import type { GuardHooks } from './guarded-api';

/** Where the window keeps a handle: its session (sessionStorage: gone when the tab closes) or its device (localStorage). */
export interface SessionKeeper {
  get(): string | null;
  set(token: string | null): void;
}
export const memorySessionKeeper = (): SessionKeeper => {
  let v: string | null = null;
  return { get: () => v, set: (x) => void (v = x) };
};

export interface AuthActions {
  /** Finds out whether this window is signed in (re-attaching a kept session), else whether setup or sign-in is next. */
  checkAuth(): Promise<void>;
  setupAdmin(name: string, password: string): Promise<void>;
  login(name: string, password: string): Promise<void>;
  /** After signing in with a password an admin chose: the user's own password replaces it, then the app opens. */
  chooseOwnPassword(current: string, next: string): Promise<void>;
  logout(): Promise<void>;
  lock(): Promise<void>;
  unlock(password: string): Promise<void>;
  submitConfirm(password: string, approver?: { name: string; password: string }): Promise<void>;
  cancelConfirm(): void;
  loadUsers(): Promise<void>;
  createUser(name: string, role: Role, password: string): Promise<boolean>;
  updateUser(id: string, patch: { role?: Role; disabled?: boolean }): Promise<void>;
  /** Admin: a temporary password for a user who forgot theirs (they choose their own at the next sign-in). */
  resetPassword(id: string, password: string): Promise<boolean>;
  savePolicy(policy: AuthPolicy): Promise<boolean>;
  /** The audit trail, newest first: a first page (with `action`, only actions starting with it), or the next page of the same filter. */
  loadAudit(more?: boolean, action?: string): Promise<void>;
  verifyAudit(): Promise<void>;
}

/** The auth slice's actions plus the hooks the guarded API needs. `raw` is the unguarded host API (auth channels). */
export function createAuthActions(deps: StoreDeps, raw: HostApi, keeper: SessionKeeper, deviceKeeper: SessionKeeper = memorySessionKeeper()): { actions: AuthActions; hooks: GuardHooks } {
  const { set, get } = deps;
  const patch = (p: Partial<AuthState>) => set((s) => ({ auth: { ...s.auth, ...p } }));
  let pendingConfirm: ((ok: boolean) => void) | null = null;
  /** The audit list's action filter (a prefix), kept for its next pages. */
  let auditAction: string | undefined;

  const signedIn = async (session: string | null, device?: string) => {
    if (session) keeper.set(session);
    if (device) deviceKeeper.set(device);
    const st = await raw.invoke('auth:status');
    patch({ phase: st.user ? (st.mustChangePassword ? 'choose-password' : 'signed-in') : st.needsSetup ? 'setup' : 'login', user: st.user, locked: st.locked, policy: st.policy, error: null, busy: false });
  };
  const failed = (e: unknown) => patch({ busy: false, error: errorMessage(e), errorSeq: get().auth.errorSeq + 1 });
  const run = async (fn: () => Promise<void>) => {
    patch({ busy: true, error: null });
    try {
      await fn();
    } catch (e) {
      failed(e);
    }
  };

  const actions: AuthActions = {
    checkAuth: () =>
      run(async () => {
        const st = await raw.invoke('auth:status');
        const token = keeper.get();
        if (!st.user && token) {
          try {
            await raw.invoke('auth:resume', { session: token });
          } catch {
            keeper.set(null);
          }
        }
        await signedIn(null);
      }),
    setupAdmin: (name, password) =>
      run(async () => {
        const r = await raw.invoke('auth:setup', { name, password });
        await signedIn(r.session, r.device);
      }),
    login: (name, password) =>
      run(async () => {
        const device = deviceKeeper.get();
        const r = await raw.invoke('auth:login', { name, password, ...(device && /^[A-Za-z0-9_-]{43}$/.test(device) ? { device } : {}) });
        await signedIn(r.session, r.device);
      }),
    chooseOwnPassword: (current, next) =>
      run(async () => {
        await raw.invoke('auth:change-password', { current, next });
        await signedIn(null);
      }),
    logout: async () => {
      try {
        await raw.invoke('auth:logout');
      } catch {
        /* ended anyway */
      }
      keeper.set(null);
      set((s) => ({ auth: { ...initialAuthState, phase: 'login' }, ui: { ...s.ui, page: 'live' } }));
    },
    lock: async () => {
      patch({ locked: true, confirm: null });
      pendingConfirm?.(false);
      try {
        await raw.invoke('auth:lock');
      } catch {
        /* the host locks idle sessions on its own too */
      }
    },
    unlock: (password) =>
      run(async () => {
        await raw.invoke('auth:unlock', { password });
        patch({ locked: false, busy: false });
      }),
    submitConfirm: async (password, approver) => {
      const c = get().auth.confirm;
      if (!c) return;
      patch({ confirm: { ...c, busy: true } });
      try {
        await raw.invoke('auth:elevate', { channel: c.channel, password, ...(approver ? { approver } : {}) });
        patch({ confirm: null });
        pendingConfirm?.(true);
      } catch (e) {
        const d = errorDetails(e) as { confirm?: 'password' | 'four-eyes' } | undefined;
        patch({ confirm: { ...c, kind: d?.confirm ?? c.kind, busy: false, error: errorMessage(e), errorSeq: c.errorSeq + 1 } });
      }
    },
    cancelConfirm: () => {
      patch({ confirm: null });
      pendingConfirm?.(false);
    },
    loadUsers: async () => {
      try {
        patch({ users: await deps.api.invoke('users:list'), usersError: null, policy: await deps.api.invoke('auth:policy') });
      } catch (e) {
        patch({ usersError: errorMessage(e) });
      }
    },
    createUser: async (name, role, password) => {
      try {
        await deps.api.invoke('users:create', { name, role, password });
        await actions.loadUsers();
        return true;
      } catch (e) {
        patch({ usersError: errorMessage(e) });
        return false;
      }
    },
    updateUser: async (id, p) => {
      try {
        await deps.api.invoke('users:update', { id, ...p });
        await actions.loadUsers();
      } catch (e) {
        patch({ usersError: errorMessage(e) });
      }
    },
    resetPassword: async (id, password) => {
      try {
        await deps.api.invoke('users:reset-password', { id, password });
        await actions.loadUsers();
        return true;
      } catch (e) {
        patch({ usersError: errorMessage(e) });
        return false;
      }
    },
    savePolicy: async (policy) => {
      try {
        patch({ policy: await deps.api.invoke('auth:set-policy', policy), usersError: null });
        return true;
      } catch (e) {
        patch({ usersError: errorMessage(e) });
        return false;
      }
    },
    loadAudit: async (more = false, action) => {
      if (!more) auditAction = action || undefined;
      const have = more ? (get().auth.audit ?? []) : [];
      const before = have.at(-1)?.id;
      try {
        const rows = await deps.api.invoke('audit:list', { limit: 100, ...(before ? { before } : {}), ...(auditAction ? { action: auditAction } : {}) });
        patch({ audit: [...have, ...rows], auditError: null });
      } catch (e) {
        patch({ auditError: errorMessage(e) });
      }
    },
    verifyAudit: async () => {
      try {
        patch({ verify: await deps.api.invoke('audit:verify'), auditError: null });
      } catch (e) {
        patch({ auditError: errorMessage(e) });
      }
    },
  };

  const hooks: GuardHooks = {
    sessionToken: () => keeper.get(),
    onSignedOut: () => {
      keeper.set(null);
      patch({ phase: 'login', user: null, locked: false, confirm: null });
    },
    onLocked: () => patch({ locked: true }),
    onMustChangePassword: () => patch({ phase: 'choose-password', confirm: null }),
    askConfirm: (channel, kind) =>
      new Promise<boolean>((resolve) => {
        pendingConfirm?.(false);
        pendingConfirm = (ok) => {
          pendingConfirm = null;
          resolve(ok);
        };
        patch({ confirm: { channel, kind, error: null, errorSeq: 0, busy: false } });
      }),
  };
  return { actions, hooks };
}
