/**
 * Structured logging interface used across the engine. The implementation (rotating JSON-lines file in the
 * data directory, levels, secret redaction) lives in file-logger.ts; tests may use `nullLogger`.
 * Never pass secrets: camera sources must go through `maskUrlCredentials` first (the file logger masks URLs again).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger whose lines carry these fields too (e.g. { component: 'camera', camera: id }). */
  child(fields: Record<string, unknown>): Logger;
}
export const nullLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => nullLogger };
