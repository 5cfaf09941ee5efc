import fs from 'node:fs';
import path from 'node:path';
import type { LogLevel, Logger } from './logger';
import { redactString, redactValue } from './redact';
import { ensurePrivateDir, tightenPrivateFile } from '../storage/private-files';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const isLogLevel = (v: unknown): v is LogLevel => typeof v === 'string' && v in LEVELS;

/** Options of the rotating JSON-lines logger. */
export interface FileLoggerOptions {
  /** Data directory; lines go to `<dataDir>/logs/watchroom.log`. */
  dataDir: string;
  /** Lowest level written; default WATCHROOM_LOG_LEVEL, else info. */
  level?: LogLevel;
  /** Rotate when the file would grow past this many bytes (default 10 MB). */
  maxBytes?: number;
  /** Rotated files kept beside the current one: watchroom.log.1 .. .N (default 5). */
  maxFiles?: number;
  /** Also write info+ lines to stderr (default: when NODE_ENV is not production). */
  mirrorToStderr?: boolean;
  /** Fields on every line (e.g. { host: 'headless' }). */
  base?: Record<string, unknown>;
}

export const LOG_FILE = 'watchroom.log';

/** Shared sink of one log file: size tracking and rotation. Synchronous writes, so nothing is lost on crash. */
class RotatingFile {
  private fd: number | null = null;
  private size = 0;
  constructor(
    readonly file: string,
    private readonly maxBytes: number,
    private readonly maxFiles: number,
  ) {}

  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.fd === null) this.openFile();
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    fs.writeSync(this.fd!, line);
    this.size += bytes;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private openFile(): void {
    // Logs name users, cameras and hosts: the folder is 0700 and every log file 0600 (POSIX).
    ensurePrivateDir(path.dirname(this.file));
    this.fd = fs.openSync(this.file, 'a', 0o600);
    tightenPrivateFile(this.file);
    this.size = fs.fstatSync(this.fd).size;
  }

  private rotate(): void {
    this.close();
    for (let i = this.maxFiles - 1; i >= 1; i--) {
      const from = `${this.file}.${i}`;
      if (fs.existsSync(from)) fs.renameSync(from, `${this.file}.${i + 1}`);
    }
    if (this.maxFiles >= 1) fs.renameSync(this.file, `${this.file}.1`);
    else fs.rmSync(this.file, { force: true });
    const extra = `${this.file}.${this.maxFiles + 1}`;
    if (fs.existsSync(extra)) fs.rmSync(extra, { force: true });
    this.openFile();
  }
}

export interface FileLogger extends Logger {
  /** Path of the current log file. */
  readonly file: string;
  /** Closes the file; later lines reopen it. */
  close(): void;
}

/** The engine's Logger: JSON lines with redaction, size rotation, levels, optional stderr mirror. */
export function createFileLogger(options: FileLoggerOptions): FileLogger {
  const envLevel = process.env.WATCHROOM_LOG_LEVEL?.toLowerCase();
  const minLevel = LEVELS[options.level ?? (isLogLevel(envLevel) ? envLevel : 'info')];
  const sink = new RotatingFile(path.join(options.dataDir, 'logs', LOG_FILE), options.maxBytes ?? 10 * 1024 * 1024, options.maxFiles ?? 5);
  const mirror = options.mirrorToStderr ?? process.env.NODE_ENV !== 'production';

  const make = (bound: Record<string, unknown>): FileLogger => {
    const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
      if (LEVELS[level] < minLevel) return;
      const entry = redactValue({ ...bound, ...(fields ?? {}) }) as Record<string, unknown>;
      const line = JSON.stringify({ t: new Date().toISOString(), level, msg: redactString(msg), ...entry }) + '\n';
      try {
        sink.write(line);
      } catch {
        // A full disk must not take the control room down; the stderr mirror may still show it.
      }
      if (mirror && LEVELS[level] >= LEVELS.info) process.stderr.write(line);
    };
    return {
      file: sink.file,
      debug: (m, f) => log('debug', m, f),
      info: (m, f) => log('info', m, f),
      warn: (m, f) => log('warn', m, f),
      error: (m, f) => log('error', m, f),
      child: (fields) => make({ ...bound, ...fields }),
      close: () => sink.close(),
    };
  };
  return make(options.base ?? {});
}
