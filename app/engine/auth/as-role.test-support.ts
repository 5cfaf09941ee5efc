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

/** Creates an account as the signed-in admin `adminPeer` (confirming with the password when needed). */
export async function createUser(engine: Dispatcher, adminPeer: string, name: string, role: Role, password = TEST_PASSWORD, adminPassword = TEST_PASSWORD) {
  await must(engine, 'auth:elevate', { channel: 'users:create', password: adminPassword }, { peer: adminPeer });
  return must(engine, 'users:create', { name, role, password }, { peer: adminPeer });
}
