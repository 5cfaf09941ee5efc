import type { AppError, AppErrorCode } from '../../../shared/ipc/envelope';

/** The Error every API call rejects with: `code` from the envelope (or a transport code), `details` when sent. */
export class ApiError extends Error {
  constructor(
    /** AppErrorCode from the host, or `timeout` / `disconnected` for transport failures. */
    readonly code: AppErrorCode | 'timeout' | 'disconnected',
    message: string,
    /** Structured detail from the host (for example zod issues), safe to show. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  static from(e: AppError): ApiError {
    return new ApiError(e.code, e.message, e.details);
  }
}

/** Code of any error (ApiError or a preload error carrying `code`), `internal` when unknown. */
export function errorCode(e: unknown): string {
  return e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? (e as { code: string }).code : 'internal';
}
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
export function errorDetails(e: unknown): unknown {
  return e && typeof e === 'object' && 'details' in e ? (e as { details: unknown }).details : undefined;
}
/** The host refused because the confirmation dialog (password, four-eyes) was cancelled: nothing to report. */
export const confirmCancelled = (e: unknown): boolean => errorCode(e) === 'forbidden' && (errorDetails(e) as { reason?: string } | undefined)?.reason === 'confirm';
