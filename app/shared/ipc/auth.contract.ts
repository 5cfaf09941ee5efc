import { z } from 'zod';
import { RoleSchema } from '../domain/user';
import { invokeSpec } from './channel';

/** Accounts, sessions, the idle lock, re-authentication (password re-entry, four-eyes) and the audit trail. */

/** A login name: letters, digits and . _ - (3..40), case-insensitive unique. */
export const UserNameSchema = z
  .string()
  .trim()
  .min(3, 'A name has at least 3 characters.')
  .max(40)
  .regex(/^[A-Za-z0-9._-]+$/, 'Use letters, digits, dot, dash or underscore.');
/** A password: at least 10 characters (no other composition rule), at most 200. */
export const PasswordSchema = z.string().min(10, 'A password has at least 10 characters.').max(200);
/** A password as typed when signing in (no length rule, so old or short ones get "wrong password"). */
const PresentedPasswordSchema = z.string().min(1, 'Enter the password.').max(200);
/** A session handle returned by sign-in; presented again after a reload (`auth:resume`). */
const SessionTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Invalid session.');
const UserIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Invalid user id.');

export const ActorSchema = z.object({ userId: z.string(), name: z.string(), role: RoleSchema });

/** A local account as listed to admins (never the password hash). */
export const UserViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  /** A disabled account cannot sign in; it stays for the audit trail. */
  disabled: z.boolean(),
  createdAt: z.string(),
  /** ISO time of the last successful sign-in; null when never. */
  lastLoginAt: z.string().nullable(),
  /** The password was set by an admin (new account or reset): at the next sign-in the user must choose their own. */
  mustChangePassword: z.boolean(),
});
export type UserView = z.infer<typeof UserViewSchema>;

/** Site policy for accounts (admin). */
export const AuthPolicySchema = z.object({
  /** Minutes without input before the screen locks (live view keeps running behind the lock). */
  idleLockMinutes: z.number().min(0.05).max(24 * 60),
  /** Channels that need a second user's approval (four-eyes); only four-eyes-eligible channels are accepted. */
  fourEyes: z.array(z.string().min(1).max(64)).max(64),
});
export type AuthPolicy = z.infer<typeof AuthPolicySchema>;

/** Where the calling window stands. */
export const AuthStatusSchema = z.object({
  /** No account exists yet: the first run asks to create the admin (there is no default password). */
  needsSetup: z.boolean(),
  /** The signed-in user of this window, or null. */
  user: ActorSchema.nullable(),
  /** Signed in but locked (idle or by hand): only the live view runs until the password is entered again. */
  locked: z.boolean(),
  /**
   * Signed in with a password an admin chose (a new account or a reset): until the user chooses their own
   * (`auth:change-password`), the session may do nothing else (every other channel answers reason `password-change`).
   */
  mustChangePassword: z.boolean(),
  policy: AuthPolicySchema,
});
export type AuthStatus = z.infer<typeof AuthStatusSchema>;

/**
 * A device handle: returned at sign-in and kept by the browser or window (localStorage), presented at the next
 * sign-in. Failed attempts from other devices do not hold up a user on a device they signed in from before.
 */
const DeviceTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Invalid device.');

/** Answer of sign-in: the user, the session handle to present after a reload and the device handle to keep. */
export const SignedInSchema = z.object({ user: ActorSchema, session: z.string(), device: z.string().optional() });

const CredentialsSchema = z.object({ name: UserNameSchema, password: PresentedPasswordSchema });
const SignInSchema = CredentialsSchema.extend({ /** This device's handle from an earlier sign-in, if it has one. */ device: DeviceTokenSchema.optional() });

export const authInvoke = {
  'auth:status': invokeSpec(z.void(), AuthStatusSchema, 'Whether setup is needed, who is signed in on this window, whether it is locked, and the policy.'),
  'auth:setup': invokeSpec(z.object({ name: UserNameSchema, password: PasswordSchema }), SignedInSchema, 'First run only: creates the admin account and signs it in.'),
  'auth:login': invokeSpec(SignInSchema, SignedInSchema, 'Signs in (throttled with growing delays after failures, per name, and per name and device for a device the user signed in from before).'),
  'auth:resume': invokeSpec(z.object({ session: SessionTokenSchema }), ActorSchema, 'Re-attaches this window to its session after a reload or reconnect.'),
  'auth:logout': invokeSpec(z.void(), z.object({ ok: z.literal(true) }), 'Ends the session on the server (every window using it is signed out).'),
  'auth:lock': invokeSpec(z.void(), z.object({ ok: z.literal(true) }), 'Locks the screen (idle or by hand); the live view keeps running.'),
  'auth:unlock': invokeSpec(z.object({ password: PresentedPasswordSchema }), ActorSchema, 'Unlocks with the signed-in user password.'),
  'auth:elevate': invokeSpec(
    z.object({
      /** The sensitive channel about to be called. */
      channel: z.string().min(1).max(64),
      /** The signed-in user password, typed again. */
      password: PresentedPasswordSchema,
      /** A second user's credentials where the four-eyes rule applies to the channel. */
      approver: CredentialsSchema.optional(),
    }),
    z.object({ channel: z.string(), expiresAt: z.string() }),
    'Confirms one sensitive action: the next call of that channel within 2 minutes is allowed.',
  ),
  'auth:change-password': invokeSpec(
    z.object({ current: PresentedPasswordSchema, next: PasswordSchema }).refine((v) => v.current !== v.next, { message: 'Choose a new password, not the current one.', path: ['next'] }),
    z.object({ ok: z.literal(true) }),
    'Changes the own password (also the first one, after an admin chose it); every other session of the user ends (this window stays signed in).',
  ),
  'auth:policy': invokeSpec(z.void(), AuthPolicySchema, 'The account policy (idle lock, four-eyes channels).'),
  'auth:set-policy': invokeSpec(AuthPolicySchema, AuthPolicySchema, 'Changes the account policy (admin).'),
  'users:list': invokeSpec(z.void(), z.array(UserViewSchema), 'Local accounts.'),
  'users:create': invokeSpec(z.object({ name: UserNameSchema, role: RoleSchema, password: PasswordSchema }), UserViewSchema, 'Creates an account with a temporary password: the user must choose their own at the first sign-in.'),
  'users:update': invokeSpec(
    z.object({ id: UserIdSchema, role: RoleSchema.optional(), disabled: z.boolean().optional() }).refine((v) => v.role !== undefined || v.disabled !== undefined, { message: 'Change the role or disable the account.' }),
    UserViewSchema,
    'Changes the role, or disables/enables an account (the last active admin stays); the user\'s sessions end.',
  ),
  'users:reset-password': invokeSpec(
    z.object({ id: UserIdSchema, password: PasswordSchema }),
    UserViewSchema,
    'Sets a temporary password for another user who forgot theirs: their sessions end and they must choose their own at the next sign-in.',
  ),
} as const;
