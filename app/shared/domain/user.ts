import { z } from 'zod';

/**
 * Who acts. Accounts, sessions and the permission matrix live with the accounts service; every other service
 * only needs to know the actor of a call, to record "who did it and when".
 */
export const RoleSchema = z.enum(['admin', 'supervisor', 'officer', 'viewer']);
export type Role = z.infer<typeof RoleSchema>;

/** The signed-in user behind a call. */
export interface Actor {
  /** Account id (ULID). */
  userId: string;
  /** Login name, as shown in histories and reports. */
  name: string;
  role: Role;
}

/** Name recorded for actions taken where no account is signed in (tests, CLI, before accounts exist). */
export const SYSTEM_ACTOR_NAME = 'system';

/** The name to record for an action: the signed-in user's, else "system". */
export const actorName = (actor: Actor | undefined): string => actor?.name ?? SYSTEM_ACTOR_NAME;
