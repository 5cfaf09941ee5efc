import { z } from 'zod';
import type { AppError, AppErrorCode } from '../../shared/ipc/envelope';

/**
 * The planning guide's one error format: `{"error": {"code", "message", "status", "timestamp", "path", "details"}}`.
 * `code` is the engine's error code (invalid-input, not-found, conflict, forbidden, unavailable, internal) or one
 * of the API's own (unauthorized, rate-limited, method-not-allowed, api-off, payload-too-large).
 */
export const ApiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    /** Safe to show to a person; never contains secrets. */
    message: z.string(),
    /** The HTTP status, repeated. */
    status: z.number().int(),
    /** ISO-8601 UTC. */
    timestamp: z.string(),
    /** The request's path (without the query). */
    path: z.string(),
    /** Structured detail (e.g. the fields that failed validation), or null. */
    details: z.unknown(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

export type ApiOwnErrorCode = 'unauthorized' | 'rate-limited' | 'method-not-allowed' | 'api-off' | 'payload-too-large' | 'unsupported-media-type';

const STATUS: Record<AppErrorCode, number> = { 'invalid-input': 400, 'not-found': 404, conflict: 409, forbidden: 403, unavailable: 503, internal: 500 };

/** An error the API answers with (thrown by route code, turned into the error body by the handler). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: AppErrorCode | ApiOwnErrorCode,
    message: string,
    readonly details: unknown = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static fromApp(e: AppError): ApiError {
    return new ApiError(STATUS[e.code] ?? 500, e.code, e.message, e.details ?? null);
  }

  body(path: string, now = new Date()): ApiErrorBody {
    return { error: { code: this.code, message: this.message, status: this.status, timestamp: now.toISOString(), path, details: this.details } };
  }
}
