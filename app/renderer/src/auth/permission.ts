import { useMemo } from 'react';
import { PERMISSIONS, roleAllows } from '../../../shared/auth/permissions';
import type { Role } from '../../../shared/domain/user';
import type { InvokeChannel } from '../../../shared/ipc/contracts';
import { t } from '../i18n/en';
import { selectUser } from '../store/auth/auth.selectors';
import { useRoot } from '../store/store';

/**
 * What the signed-in user may do with one channel, read from THE permission table (app/shared/auth/permissions.ts):
 * a control the role cannot use is left out, or disabled with `reason` as its hover text, so no officer does the
 * work first and meets "not allowed" at Save. The host still enforces the table on every call.
 */
export interface Permission {
  readonly allowed: boolean;
  /** Why not, in plain words (for `title` on a disabled control); empty when allowed. */
  readonly reason: string;
}

/** The permission of `role` (null: nobody signed in) for `channel`. Pure, for tests and selectors. */
export function permissionFor(role: Role | null, channel: InvokeChannel): Permission {
  if (role === null) return { allowed: false, reason: t.auth.permission.signIn };
  if (roleAllows(role, channel)) return { allowed: true, reason: '' };
  const min = PERMISSIONS[channel].min;
  const needed = min === 'public' || min === 'session' ? '' : (t.auth.roles[min] ?? min);
  return { allowed: false, reason: t.auth.permission.needsRole(needed, t.auth.roles[role] ?? role) };
}

/** The renderer's one hook for role-aware controls: `const save = usePermission('rules:save')`. */
export function usePermission(channel: InvokeChannel): Permission {
  const role = useRoot((s) => selectUser(s)?.role ?? null);
  return useMemo(() => permissionFor(role, channel), [role, channel]);
}
