import crypto from 'node:crypto';
import { FOUR_EYES_FOLLOWS, fourEyesEligible, isLiveViewChannel, PERMISSIONS, roleAllows } from '../../shared/auth/permissions';
import type { Actor, Role } from '../../shared/domain/user';
import { AuthPolicySchema, type AuthPolicy, type AuthStatus, type UserView } from '../../shared/ipc/auth.contract';
import { isInvokeChannel, type InvokeChannel } from '../../shared/ipc/contracts';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { SettingsRepository } from '../storage/settings.repository';
import type { AuditTrail } from './audit-trail';
import { DUMMY_HASH, hashPassword, verifyPassword, type ScryptParams } from './password-hash';
import { userView, type UsersRepository } from './users.repository';

/** Why a call was refused (in the error's details, so the renderer can show sign-in, the lock or a confirm dialog). */
export type DenyReason = 'signed-out' | 'locked' | 'role' | 'confirm' | 'password-change';

export const deny = (reason: DenyReason, message: string, extra: Record<string, unknown> = {}) => new AppErrorException('forbidden', message, { reason, ...extra });

interface Grant {
  expiresAt: number;
  approver?: Actor;
}

interface Session {
  id: string;
  user: Actor;
  lastActivity: number;
  locked: boolean;
  /** Signed in with a password an admin chose: only `auth:change-password` (and sign-out) answer until it is changed. */
  mustChangePassword: boolean;
  /** One-shot confirmations of sensitive channels (auth:elevate). */
  grants: Map<InvokeChannel, Grant>;
}

/** Failed attempts of one throttle bucket (see checkCredentials). */
interface Throttle {
  failures: number;
  until: number;
}

export interface AuthServiceOptions {
  users: UsersRepository;
  settings: SettingsRepository;
  audit: AuditTrail;
  now?: () => number;
  scrypt?: ScryptParams;
  /** A session unused this long ends (default 12 h). */
  sessionTtlMs?: number;
}

export const AUTH_POLICY_KEY = 'auth.policy';
export const DEFAULT_POLICY: AuthPolicy = { idleLockMinutes: 10, fourEyes: [] };
const GRANT_MS = 2 * 60_000;
/** Failures allowed before delays start; then 2 s, 4 s, 8 s ... up to 5 min. */
const FREE_FAILURES = 3;
const MAX_DELAY_MS = 5 * 60_000;
/** What a session that must choose its own password may still call (besides the public sign-in channels). */
const FIRST_PASSWORD_CHANNELS: ReadonlySet<InvokeChannel> = new Set<InvokeChannel>(['auth:change-password', 'auth:logout']);
/** Remembered devices (browsers, windows that signed in), oldest forgotten first. */
const MAX_DEVICES = 2000;

export const throttleDelayMs = (failures: number): number => (failures < FREE_FAILURES ? 0 : Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - FREE_FAILURES + 1)));

/**
 * Accounts and sessions. A session belongs to a user and is attached to peers (windows: `electron:<id>`,
 * `ws:<n>`); its handle is returned once at sign-in so a reloaded window can re-attach (`auth:resume`). Logout
 * deletes it server-side, so the handle is worthless afterwards. Idle sessions lock (live view keeps running).
 */
export class AuthService {
  private readonly sessions = new Map<string, Session>();
  private readonly peers = new Map<string, string>();
  private readonly throttles = new Map<string, Throttle>();
  /** Device handle id (SHA-256) -> the accounts that signed in from that device (this run). */
  private readonly devices = new Map<string, Set<string>>();
  private readonly now: () => number;
  private readonly ttl: number;

  constructor(private readonly o: AuthServiceOptions) {
    this.now = o.now ?? Date.now;
    this.ttl = o.sessionTtlMs ?? 12 * 3600_000;
  }

  policy(): AuthPolicy {
    return this.o.settings.get(AUTH_POLICY_KEY, AuthPolicySchema) ?? DEFAULT_POLICY;
  }

  setPolicy(p: AuthPolicy): AuthPolicy {
    const eligible = new Set<string>(fourEyesEligible());
    const bad = p.fourEyes.filter((c) => !eligible.has(c));
    if (bad.length) throw new AppErrorException('invalid-input', `These actions cannot need a second approval: ${bad.join(', ')}. Possible: ${[...eligible].join(', ')}.`);
    const next = { idleLockMinutes: p.idleLockMinutes, fourEyes: [...new Set(p.fourEyes)] };
    this.o.settings.set(AUTH_POLICY_KEY, next);
    return next;
  }

  needsSetup(): boolean {
    return this.o.users.count() === 0;
  }

  status(peer: string): AuthStatus {
    const s = this.sessionOf(peer);
    return { needsSetup: this.needsSetup(), user: s?.user ?? null, locked: s && !s.mustChangePassword ? this.isLocked(s) : false, mustChangePassword: s?.mustChangePassword ?? false, policy: this.policy() };
  }

  /** The live session of a peer (ending it when expired), or null. */
  sessionOf(peer: string): Session | null {
    const id = this.peers.get(peer);
    if (!id) return null;
    const s = this.sessions.get(id);
    if (!s) {
      this.peers.delete(peer);
      return null;
    }
    if (this.now() - s.lastActivity > this.ttl) {
      this.endSession(s, 'expired');
      return null;
    }
    return s;
  }

  /**
   * The signed-in user of a peer (locked or not), or null: hosts use it to gate pushes and frames. A session that
   * must still choose its own password gets neither (null).
   */
  userOf(peer: string): Actor | null {
    const s = this.sessionOf(peer);
    return s && !s.mustChangePassword ? s.user : null;
  }

  /** A window went away: its peer no longer points at the session (the session stays for `auth:resume`). */
  release(peer: string): void {
    this.peers.delete(peer);
  }

  /** Locks when idle longer than the policy allows; records the lock once. */
  isLocked(s: Session): boolean {
    if (!s.locked && this.now() - s.lastActivity > this.policy().idleLockMinutes * 60_000) {
      s.locked = true;
      s.grants.clear();
      this.o.audit.record({ actor: s.user, action: 'auth.lock', target: s.user.name, detail: { why: 'idle' } });
    }
    return s.locked;
  }

  /**
   * Who may make this call, or an error saying why not: signed out, a password an admin chose still to be
   * replaced (only the password change and sign-out work), locked (only the live view and unlock work), or a role
   * without the permission. Marks the session active for calls an officer makes (not the live view's own polling).
   */
  authorize(peer: string, channel: InvokeChannel): Actor | undefined {
    const p = PERMISSIONS[channel];
    if (p.min === 'public') return this.sessionOf(peer)?.user;
    const s = this.sessionOf(peer);
    if (!s) throw deny('signed-out', 'Sign in first.');
    if (s.mustChangePassword) {
      // Nothing else until the user chooses their own password (no idle lock either: nothing runs behind it).
      if (!FIRST_PASSWORD_CHANNELS.has(channel)) throw deny('password-change', 'Choose your own password first: your password was set by an administrator.');
      s.lastActivity = this.now();
      return s.user;
    }
    if (this.isLocked(s) && p.min !== 'session' && !isLiveViewChannel(channel)) throw deny('locked', 'The screen is locked: enter your password to continue.');
    if (p.min !== 'session' && !roleAllows(s.user.role, channel)) throw deny('role', `Your role (${s.user.role}) does not allow this.`);
    if (!isLiveViewChannel(channel) && channel !== 'auth:status' && !s.locked) s.lastActivity = this.now();
    return s.user;
  }

  /** For a channel that needs confirming: takes (uses up) the peer's grant; the approver when four-eyes applied. */
  takeGrant(peer: string, channel: InvokeChannel): { approver?: Actor } {
    const confirm = PERMISSIONS[channel].confirm;
    if (!confirm) return {};
    const s = this.sessionOf(peer);
    if (!s) throw deny('signed-out', 'Sign in first.');
    const fourEyes = this.fourEyesFor(channel);
    const g = s.grants.get(channel);
    s.grants.delete(channel);
    if (!g || g.expiresAt < this.now()) throw deny('confirm', fourEyes ? 'This action needs your password and a second user\u2019s approval.' : 'Enter your password again to confirm this action.', { channel, confirm: fourEyes ? 'four-eyes' : 'password' });
    if (fourEyes && !g.approver) throw deny('confirm', 'This action needs a second user\u2019s approval.', { channel, confirm: 'four-eyes' });
    return g.approver ? { approver: g.approver } : {};
  }

  fourEyesFor(channel: InvokeChannel): boolean {
    return PERMISSIONS[channel].confirm === 'four-eyes' && this.policy().fourEyes.includes(FOUR_EYES_FOLLOWS[channel] ?? channel);
  }

  /** The account behind a recorded actor name (for services that record names), or undefined for "system" or unknown names. */
  actorNamed(name: string): Actor | undefined {
    const u = this.o.users.byName(name);
    return u ? { userId: u.id, name: u.name, role: u.role } : undefined;
  }

  async setup(peer: string, name: string, password: string): Promise<{ user: Actor; session: string; device: string }> {
    if (!this.needsSetup()) throw new AppErrorException('conflict', 'Watchroom is already set up: sign in.');
    const hash = await hashPassword(password, this.o.scrypt);
    if (!this.needsSetup()) throw new AppErrorException('conflict', 'Watchroom is already set up: sign in.');
    const u = this.o.users.insert(name, 'admin', hash);
    const actor: Actor = { userId: u.id, name: u.name, role: u.role };
    this.o.audit.record({ actor, action: 'users.setup-admin', target: u.name });
    return { ...this.startSession(peer, actor), device: this.trustDevice(undefined, u.id) };
  }

  /**
   * Signs in. Attempts are throttled per name; from a device (its handle, `device`) this user signed in from
   * before, per name and device instead, so strangers failing on purpose elsewhere cannot keep the user out.
   */
  async login(peer: string, name: string, password: string, device?: string): Promise<{ user: Actor; session: string; device: string }> {
    const known = this.o.users.byName(name);
    const deviceId = device ? tokenId(device) : undefined;
    const trusted = known && deviceId && this.devices.get(deviceId)?.has(known.id);
    const bucket = trusted ? `device:${deviceId}:${known.id}` : undefined;
    const u = await this.checkCredentials(name, password, 'auth.login-failed', peer, bucket);
    return { ...this.startSession(peer, { userId: u.id, name: u.name, role: u.role }, u.mustChangePassword), device: this.trustDevice(device, u.id) };
  }

  resume(peer: string, token: string): Actor {
    const s = this.sessions.get(tokenId(token));
    if (!s || this.now() - s.lastActivity > this.ttl) throw deny('signed-out', 'Your session has ended: sign in again.');
    const u = this.o.users.get(s.user.userId);
    if (!u || u.disabled) {
      this.endSession(s, 'account disabled');
      throw deny('signed-out', 'Your session has ended: sign in again.');
    }
    this.peers.set(peer, s.id);
    return s.user;
  }

  logout(peer: string): void {
    const s = this.sessionOf(peer);
    if (!s) throw deny('signed-out', 'Not signed in.');
    this.endSession(s, 'logout');
    this.o.audit.record({ actor: s.user, action: 'auth.logout', target: s.user.name });
  }

  lock(peer: string): void {
    const s = this.sessionOf(peer);
    if (!s) throw deny('signed-out', 'Not signed in.');
    if (s.locked) return;
    s.locked = true;
    s.grants.clear();
    this.o.audit.record({ actor: s.user, action: 'auth.lock', target: s.user.name, detail: { why: 'by hand or idle screen' } });
  }

  async unlock(peer: string, password: string): Promise<Actor> {
    const s = this.sessionOf(peer);
    if (!s) throw deny('signed-out', 'Not signed in.');
    await this.checkCredentials(s.user.name, password, 'auth.unlock-failed', peer, sessionBucket(s));
    s.locked = false;
    s.lastActivity = this.now();
    this.o.audit.record({ actor: s.user, action: 'auth.unlock', target: s.user.name });
    return s.user;
  }

  /** Confirms one sensitive call: password again, plus a second user's credentials under the four-eyes rule. */
  async elevate(peer: string, channel: string, password: string, approver?: { name: string; password: string }): Promise<{ channel: string; expiresAt: string }> {
    const s = this.sessionOf(peer);
    if (!s) throw deny('signed-out', 'Sign in first.');
    if (!isInvokeChannel(channel) || !PERMISSIONS[channel].confirm) throw new AppErrorException('invalid-input', 'This action needs no confirmation.');
    if (!roleAllows(s.user.role, channel)) throw deny('role', `Your role (${s.user.role}) does not allow this.`);
    await this.checkCredentials(s.user.name, password, 'auth.confirm-failed', peer, sessionBucket(s));
    let approverActor: Actor | undefined;
    if (this.fourEyesFor(channel)) {
      if (!approver) throw deny('confirm', 'This action needs a second user\u2019s approval.', { channel, confirm: 'four-eyes' });
      if (approver.name.toLowerCase() === s.user.name.toLowerCase()) throw deny('confirm', 'The approver must be another user.', { channel, confirm: 'four-eyes' });
      const a = await this.checkCredentials(approver.name, approver.password, 'auth.approval-failed', peer);
      if (!roleAllows(a.role, channel)) throw deny('confirm', `${a.name} (${a.role}) may not approve this action.`, { channel, confirm: 'four-eyes' });
      approverActor = { userId: a.id, name: a.name, role: a.role };
    }
    const expiresAt = this.now() + GRANT_MS;
    s.grants.set(channel, { expiresAt, ...(approverActor ? { approver: approverActor } : {}) });
    this.o.audit.record({ actor: s.user, action: approverActor ? 'auth.approved' : 'auth.confirmed', target: channel, detail: approverActor ? { approver: approverActor.name } : {} });
    return { channel, expiresAt: new Date(expiresAt).toISOString() };
  }

  /**
   * Changes the own password. Every other session of the user ends (other windows, and handles kept for
   * `auth:resume`): whoever used the old password elsewhere is out. The calling window stays signed in, and a
   * session that had to choose its own password (an admin chose the old one) may now do what its role allows.
   */
  async changePassword(peer: string, actor: Actor, current: string, next: string): Promise<{ endedSessions: number }> {
    const own = this.sessionOf(peer);
    const u = await this.checkCredentials(actor.name, current, 'auth.password-change-failed', peer, own && own.user.userId === actor.userId ? sessionBucket(own) : undefined);
    const hash = await hashPassword(next, this.o.scrypt);
    this.o.users.update(actor.userId, { passwordHash: hash, mustChangePassword: false });
    if (own && own.user.userId === actor.userId) own.mustChangePassword = false;
    let endedSessions = 0;
    for (const s of [...this.sessions.values()]) {
      if (s.user.userId !== actor.userId || s === own) continue;
      this.endSession(s, 'password changed');
      endedSessions++;
    }
    this.o.audit.record({ actor, action: 'auth.password-changed', target: actor.name, detail: { endedSessions, ...(u.mustChangePassword ? { replacedTemporary: true } : {}) } });
    return { endedSessions };
  }

  listUsers(): UserView[] {
    return this.o.users.list().map(userView);
  }

  /** A new account's password is the admin's choice, so the user must choose their own at the first sign-in. */
  async createUser(name: string, role: Role, password: string): Promise<UserView> {
    return userView(this.o.users.insert(name, role, await hashPassword(password, this.o.scrypt), true));
  }

  /**
   * An admin sets a temporary password for a user who forgot theirs: the user's sessions end, and at the next
   * sign-in they must choose their own. Not for the admin's own account (that is `auth:change-password`, which
   * asks for the current password): a reset of one's own account would sign the admin out of every window.
   */
  async resetPassword(actor: Actor | undefined, id: string, password: string): Promise<UserView> {
    const u = this.o.users.get(id);
    if (!u) throw new AppErrorException('not-found', 'This account does not exist.');
    if (actor && actor.userId === id) throw new AppErrorException('conflict', 'You cannot set a temporary password for your own account: change your own password instead (it asks for the current one).');
    const next = this.o.users.update(id, { passwordHash: await hashPassword(password, this.o.scrypt), mustChangePassword: true });
    for (const s of [...this.sessions.values()]) if (s.user.userId === id) this.endSession(s, 'password reset by an admin');
    return userView(next);
  }

  async updateUser(actor: Actor | undefined, id: string, patch: { role?: Role; disabled?: boolean }): Promise<UserView> {
    const u = this.o.users.get(id);
    if (!u) throw new AppErrorException('not-found', 'This account does not exist.');
    const losesAdmin = u.role === 'admin' && !u.disabled && ((patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true);
    if (losesAdmin && this.o.users.activeAdmins() <= 1) throw new AppErrorException('conflict', 'Keep at least one active admin.');
    if (actor && actor.userId === id && patch.disabled === true) throw new AppErrorException('conflict', 'You cannot disable your own account.');
    const next = this.o.users.update(id, { role: patch.role, disabled: patch.disabled });
    // Sessions of a changed account end: the user signs in again with the new role.
    for (const s of [...this.sessions.values()]) if (s.user.userId === id) this.endSession(s, 'account changed');
    return userView(next);
  }

  private startSession(peer: string, user: Actor, mustChangePassword = false): { user: Actor; session: string } {
    const token = crypto.randomBytes(32).toString('base64url');
    const old = this.peers.get(peer);
    if (old) this.sessions.delete(old);
    const s: Session = { id: tokenId(token), user, lastActivity: this.now(), locked: false, mustChangePassword, grants: new Map() };
    this.sessions.set(s.id, s);
    this.peers.set(peer, s.id);
    this.o.users.touchLogin(user.userId);
    this.o.audit.record({ actor: user, action: 'auth.login', target: user.name, ...(mustChangePassword ? { detail: { temporary: true } } : {}) });
    return { user, session: token };
  }

  private endSession(s: Session, _why: string): void {
    this.sessions.delete(s.id);
    for (const [peer, id] of [...this.peers]) if (id === s.id) this.peers.delete(peer);
  }

  /** The device handle to hand back at sign-in: the presented one when this run knows it, else a new one. */
  private trustDevice(device: string | undefined, userId: string): string {
    const known = device ? this.devices.get(tokenId(device)) : undefined;
    if (device && known) {
      known.add(userId);
      return device;
    }
    const fresh = crypto.randomBytes(32).toString('base64url');
    this.devices.set(tokenId(fresh), new Set([userId]));
    if (this.devices.size > MAX_DEVICES) this.devices.delete(this.devices.keys().next().value!);
    return fresh;
  }

  /**
   * Checks a name and password with a throttle per bucket: after 3 failures each attempt must wait 2 s, 4 s, 8 s
   * ... (up to 5 min) after the previous failure; an attempt inside the wait is refused without checking.
   *
   * Buckets: `name:<name>` by default (sign-in from an unknown device, a four-eyes approver); `device:…` for a
   * sign-in from a device this user signed in from before; `session:…` for the own password of a signed-in
   * user (unlock, confirm, password change). So failures of strangers count against the name, never against
   * the user's own devices and sessions.
   *
   * The attempt is counted BEFORE the password check awaits (and forgiven on success), so parallel attempts
   * all see it: at most FREE_FAILURES passwords are ever checked at once, however many arrive together.
   */
  private async checkCredentials(name: string, password: string, failAction: string, peer: string, bucket = `name:${name.toLowerCase()}`) {
    const now = this.now();
    let t = this.throttles.get(bucket);
    if (t && t.until > now) {
      const secs = Math.ceil((t.until - now) / 1000);
      throw new AppErrorException('forbidden', `Too many failed attempts: try again in ${secs} s.`, { reason: 'throttled', retryInSeconds: secs });
    }
    if (!t) {
      t = { failures: 0, until: 0 };
      this.throttles.set(bucket, t);
      if (this.throttles.size > 10_000) this.throttles.delete(this.throttles.keys().next().value!);
    }
    t.failures += 1;
    t.until = now + throttleDelayMs(t.failures);
    const u = this.o.users.byName(name);
    const ok = await verifyPassword(password, u?.passwordHash ?? DUMMY_HASH);
    if (!u || !ok || u.disabled) {
      // The wait runs from the failure (the check itself takes time).
      t.until = Math.max(t.until, this.now() + throttleDelayMs(t.failures));
      this.o.audit.record({ action: failAction, target: name, detail: { peer, failures: t.failures, known: Boolean(u), ...(bucket.startsWith('name:') ? {} : { on: bucket.slice(0, bucket.indexOf(':')) }) } });
      throw new AppErrorException('forbidden', u?.disabled && ok ? 'This account is disabled.' : 'Wrong name or password.', { reason: 'credentials' });
    }
    if (this.throttles.get(bucket) === t) this.throttles.delete(bucket);
    return u;
  }
}

const sessionBucket = (s: Session): string => `session:${s.id}`;

const tokenId = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');
