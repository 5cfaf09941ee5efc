/** Errors survive every transport (Electron IPC, WebSocket, child-process messages) inside this envelope. */
export type AppErrorCode =
  | 'invalid-input' // the payload failed its schema or a domain rule
  | 'not-found'
  | 'conflict'
  | 'forbidden' // sender or session not allowed
  | 'unavailable' // a dependency (worker, model, ffmpeg) is not there right now
  | 'internal';

export interface AppError {
  code: AppErrorCode;
  /** Human-readable, safe to show to an officer; never contains secrets. */
  message: string;
  /** Optional structured detail (for example zod issues), safe to show. */
  details?: unknown;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: AppError };

export class AppErrorException extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
  toJSON(): AppError {
    return { code: this.code, message: this.message, ...(this.details !== undefined ? { details: this.details } : {}) };
  }
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppErrorException) return err.toJSON();
  if (err && typeof err === 'object' && 'code' in err && 'message' in err && typeof (err as AppError).message === 'string') {
    const e = err as AppError;
    if (['invalid-input', 'not-found', 'conflict', 'forbidden', 'unavailable', 'internal'].includes(e.code)) return { code: e.code, message: e.message };
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
