import type { Actor } from '../../../../shared/domain/user';
import type { AuditRowView, AuditVerify } from '../../../../shared/ipc/audit.contract';
import type { AuthPolicy, UserView } from '../../../../shared/ipc/auth.contract';

/**
 * Where the window stands:
 *   checking ──▶ setup (no account yet) ──────────────────────────────▶ signed-in
 *            └─▶ login ──▶ choose-password (an admin chose it) ──▶ signed-in ──(logout / session ended)──▶ login
 *                      └──────────────────────────────────────────▶ signed-in
 * `choose-password`: signed in, but the host answers nothing but the password change until the user chose their
 * own (a new account, or a reset by an admin). `locked` is a property of signed-in (the shell and live view stay
 * mounted behind the lock screen).
 */
export type AuthPhase = 'checking' | 'setup' | 'login' | 'choose-password' | 'signed-in';

/** A sensitive call waiting for the password (and, under the four-eyes rule, a second user). */
export interface ConfirmRequest {
  channel: string;
  kind: 'password' | 'four-eyes';
  error: string | null;
  errorSeq: number;
  busy: boolean;
}

export interface AuthState {
  phase: AuthPhase;
  user: Actor | null;
  locked: boolean;
  policy: AuthPolicy | null;
  /** Message of the last failed sign-in, setup or unlock. */
  error: string | null;
  /** Counts failures, so the same message shown twice is still a new answer (tests wait on it). */
  errorSeq: number;
  busy: boolean;
  confirm: ConfirmRequest | null;
  users: UserView[] | null;
  usersError: string | null;
  audit: AuditRowView[] | null;
  auditError: string | null;
  verify: AuditVerify | null;
}

export const initialAuthState: AuthState = { phase: 'checking', user: null, locked: false, policy: null, error: null, errorSeq: 0, busy: false, confirm: null, users: null, usersError: null, audit: null, auditError: null, verify: null };
