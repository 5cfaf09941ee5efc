import type { LogLevel, Logger } from './logger';
import { redactString, redactValue } from './redact';

/**
 * How a worker process logs: through the one logger of its parent. A worker's Logger sends each line as a
 * `log` message over the worker channel, already redacted (the same redaction as the file logger: URL
 * credentials masked, secret-named fields dropped), and the parent writes it through its own Logger (the
 * rotating file logger, which redacts again) with the worker's fields. So there is one log file, one format,
 * one level setting, and a camera password never leaves the worker in clear.
 */
export interface WorkerLogMessage {
  type: 'log';
  level: LogLevel;
  msg: string;
  fields?: Record<string, unknown>;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Worker side: a Logger whose lines go to `send` (the parent channel), redacted before they leave. */
export function createWorkerLogger(send: (m: WorkerLogMessage) => void, bound: Record<string, unknown> = {}): Logger {
  const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    const all = { ...bound, ...(fields ?? {}) };
    const m: WorkerLogMessage = { type: 'log', level, msg: redactString(msg) };
    if (Object.keys(all).length) m.fields = redactValue(all) as Record<string, unknown>;
    try {
      send(m);
    } catch {
      // the parent is gone: nowhere left to log to
    }
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (fields) => createWorkerLogger(send, { ...bound, ...fields }),
  };
}

/** Parent side: writes a worker's log line through the parent's logger (an unknown level counts as info). */
export function writeWorkerLog(logger: Logger, m: WorkerLogMessage): void {
  const level = LEVELS.includes(m.level) ? m.level : 'info';
  logger[level](m.msg, m.fields);
}
