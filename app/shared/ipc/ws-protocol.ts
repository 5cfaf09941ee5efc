/**
 * The headless host's WebSocket protocol (`ws://127.0.0.1:<port>/api?token=<token>`): the same contract maps
 * as Electron IPC, carried as JSON text messages, plus binary messages for live frames (frame-codec.ts).
 *
 * Launch contract of the headless host (`node dist/node/headless.cjs [--data-dir DIR] [--port N] [--no-open]`):
 * it prints one machine-readable line `WATCHROOM_URL=http://127.0.0.1:<port>/?token=<token>` once it listens.
 * Requests without the token (HTTP and WebSocket) are refused with 403.
 */
import type { AppError } from './envelope';

export type ClientMessage =
  | { t: 'invoke'; id: number; channel: string; input?: unknown }
  /** Start or stop receiving binary frames of one camera. */
  | { t: 'frames'; cameraId: string; on: boolean };

export type ServerMessage =
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: AppError }
  | { t: 'push'; event: string; payload: unknown };

export const WS_PATH = '/api';
export const URL_LINE_PREFIX = 'WATCHROOM_URL=';
