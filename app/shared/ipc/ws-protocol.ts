/**
 * The headless host's WebSocket protocol (`ws://127.0.0.1:<port>/api?token=<token>`): the same contract maps
 * as Electron IPC, carried as JSON text messages, plus binary messages for live frames (frame-codec.ts).
 *
 * Launch contract of the headless host (`node dist/node/headless.cjs [--data-dir DIR] [--port N] [--no-open]`):
 * it prints one machine-readable line `WATCHROOM_URL=http://127.0.0.1:<port>/?token=<token>` once it listens.
 * Requests without the token (HTTP and WebSocket) are refused with 403.
 */
import { z } from 'zod';
import type { AppError } from './envelope';

/** Every text message a client may send; anything else is refused with a `{ t: 'error' }` answer and changes nothing. */
export const ClientMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('invoke'), id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), channel: z.string().min(1).max(64), input: z.unknown().optional() }).strict(),
  /** Start or stop receiving binary frames of one camera. */
  z.object({ t: z.literal('frames'), cameraId: z.string().min(1).max(64), on: z.boolean() }).strict(),
]);

export type ClientMessage =
  | { t: 'invoke'; id: number; channel: string; input?: unknown }
  /** Start or stop receiving binary frames of one camera. */
  | { t: 'frames'; cameraId: string; on: boolean };

export type ServerMessage =
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: AppError }
  | { t: 'push'; event: string; payload: unknown }
  /** A client message that does not match ClientMessageSchema (it was ignored). */
  | { t: 'error'; error: AppError };

export const WS_PATH = '/api';
export const URL_LINE_PREFIX = 'WATCHROOM_URL=';
