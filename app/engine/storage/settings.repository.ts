import type { z } from 'zod';
import type { Db } from './database';

/** Site settings as key -> JSON value. */
export class SettingsRepository {
  constructor(private readonly db: Db) {}

  /** The parsed value, or undefined when absent or (with a schema) not valid any more. */
  get<T = unknown>(key: string, schema?: z.ZodType<T>): T | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    if (!row) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(row.value);
    } catch {
      return undefined;
    }
    if (!schema) return value as T;
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  }

  set(key: string, value: unknown): void {
    if (value === undefined) throw new Error('settings cannot store undefined; use delete()');
    this.db
      .prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
      .run(key, JSON.stringify(value), new Date().toISOString());
  }

  delete(key: string): boolean {
    return this.db.prepare('DELETE FROM settings WHERE key = ?').run(key).changes > 0;
  }
}
