import type { Actor, Role } from '../../shared/domain/user';
import type { CallContext } from '../../shared/ipc/contracts';
import type { ScryptParams } from './password-hash';

/**
 * How tests act as a given role.
 *
 * - In-process, without accounts: `asRole('admin')` is a CallContext carrying that user. The engine applies the
 *   permission matrix to it but asks for no password (there is no interactive session). This is what most
 *   engine tests want: `engine.dispatch('cameras:add', input, asRole('admin'))`.
 * - Through real sessions (the way hosts work): `signIn(engine, peer, ...)` after `setupAdmin`, then dispatch
 *   with `{ peer }` only; see app/engine/auth/permissions.test.ts.
 */
export const testActor = (role: Role): Actor => ({ userId: `01TESTUSER${role.toUpperCase().padEnd(16, '0')}`.slice(0, 26), name: `test-${role}`, role });
export const asRole = (role: Role, peer = 'test'): CallContext => ({ peer, user: testActor(role) });
/** The admin most engine tests act as. */
export const ADMIN_CTX: CallContext = asRole('admin');

/** Cheap scrypt for tests that create many accounts (the engine default is 2^15). */
export const TEST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
export const TEST_PASSWORD = 'correct horse battery';

type Dispatcher = { dispatch: (channel: string, input: unknown, ctx: CallContext) => Promise<{ ok: boolean; value?: unknown; error?: unknown }> };

async function must(engine: Dispatcher, channel: string, input: unknown, ctx: CallContext): Promise<unknown> {
  const r = await engine.dispatch(channel, input, ctx);
  if (!r.ok) throw new Error(`${channel} failed: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** First run: creates the admin `admin` and signs `peer` in as it. */
export const setupAdmin = (engine: Dispatcher, peer = 'admin-peer', name = 'admin', password = TEST_PASSWORD) => must(engine, 'auth:setup', { name, password }, { peer });

/** Signs `peer` in (a real session); returns the session handle. */
export async function signIn(engine: Dispatcher, peer: string, name: string, password = TEST_PASSWORD): Promise<string> {
  return ((await must(engine, 'auth:login', { name, password }, { peer })) as { session: string }).session;
}

/** The password an admin gives a new account in tests, before its user chooses `password` (see createUser). */
export const temporaryPassword = (password: string): string => `${password} (temporary)`;

/**
 * Creates an account as the signed-in admin `adminPeer` (confirming with the password when needed), ready to use
 * like one whose user has signed in once: the admin's password is temporary (`temporaryPassword(password)`), so
 * the user signs in on a peer of its own, chooses `password` and signs out again.
 */
export async function createUser(engine: Dispatcher, adminPeer: string, name: string, role: Role, password = TEST_PASSWORD, adminPassword = TEST_PASSWORD) {
  await must(engine, 'auth:elevate', { channel: 'users:create', password: adminPassword }, { peer: adminPeer });
  const user = await must(engine, 'users:create', { name, role, password: temporaryPassword(password) }, { peer: adminPeer });
  const peer = `first-sign-in:${name}`;
  await signIn(engine, peer, name, temporaryPassword(password));
  await must(engine, 'auth:change-password', { current: temporaryPassword(password), next: password }, { peer });
  await must(engine, 'auth:logout', undefined, { peer });
  return user;
}
