import { ulid } from 'ulid';
import { AppErrorException } from '../../shared/ipc/envelope';
import { LayoutBodySchema, type Layout, type LayoutBody } from '../../shared/ipc/layouts.contract';
import type { Db } from '../storage/database';

interface LayoutRow {
  id: string;
  owner: string;
  name: string;
  body: string;
  updated_at: string;
}

/**
 * Named live-view layouts per user (owner = the actor's name) and the one each user had on screen. A layout
 * naming a camera that was deleted meanwhile still loads: those tiles show as empty and `missingCameras` says
 * which; saving a layout that names an unknown camera is refused and changes nothing.
 */
export class LayoutsService {
  constructor(
    private readonly db: Db,
    private readonly cameraExists: (id: string) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  list(owner: string): Layout[] {
    return (this.db.prepare('SELECT * FROM layouts WHERE owner = ? ORDER BY name COLLATE NOCASE').all(owner) as LayoutRow[]).map((r) => this.view(r));
  }

  save(owner: string, name: string, body: LayoutBody, makeCurrent: boolean): Layout {
    const missing = [...new Set(body.tiles.map((t) => t.cameraId).filter((id): id is string => id !== null && !this.cameraExists(id)))];
    if (missing.length) {
      throw new AppErrorException('invalid-input', `This layout shows ${missing.length === 1 ? 'a camera that does' : 'cameras that do'} not exist (any more): ${missing.join(', ')}. Remove ${missing.length === 1 ? 'it' : 'them'} from the layout and save again.`);
    }
    const at = new Date(this.now()).toISOString();
    return this.db.transaction(() => {
      const existing = this.db.prepare('SELECT id FROM layouts WHERE owner = ? AND name = ?').get(owner, name) as { id: string } | undefined;
      const id = existing?.id ?? ulid(this.now());
      if (existing) this.db.prepare('UPDATE layouts SET body = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(body), at, id);
      else this.db.prepare('INSERT INTO layouts (id, owner, name, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, owner, name, JSON.stringify(body), at, at);
      if (makeCurrent) this.setCurrentRow(owner, id, at);
      return this.view(this.db.prepare('SELECT * FROM layouts WHERE id = ?').get(id) as LayoutRow);
    })();
  }

  delete(owner: string, id: string): boolean {
    return this.db.prepare('DELETE FROM layouts WHERE id = ? AND owner = ?').run(id, owner).changes > 0;
  }

  setCurrent(owner: string, id: string): Layout {
    const row = this.db.prepare('SELECT * FROM layouts WHERE id = ? AND owner = ?').get(id, owner) as LayoutRow | undefined;
    if (!row) throw new AppErrorException('not-found', 'This layout does not exist (any more).');
    this.setCurrentRow(owner, id, new Date(this.now()).toISOString());
    return this.view(row);
  }

  current(owner: string): Layout | null {
    const row = this.db.prepare('SELECT l.* FROM layout_current c JOIN layouts l ON l.id = c.layout_id WHERE c.owner = ?').get(owner) as LayoutRow | undefined;
    return row ? this.view(row) : null;
  }

  private setCurrentRow(owner: string, id: string, at: string): void {
    this.db.prepare('INSERT INTO layout_current (owner, layout_id, updated_at) VALUES (?, ?, ?) ON CONFLICT (owner) DO UPDATE SET layout_id = excluded.layout_id, updated_at = excluded.updated_at').run(owner, id, at);
  }

  private view(r: LayoutRow): Layout {
    const parsed = LayoutBodySchema.safeParse(JSON.parse(r.body));
    const body: LayoutBody = parsed.success ? parsed.data : { grid: '1', columns: 1, rows: 1, tiles: [] };
    const missing = [...new Set(body.tiles.map((t) => t.cameraId).filter((id): id is string => id !== null && !this.cameraExists(id)))];
    return { id: r.id, owner: r.owner, name: r.name, body, updatedAt: r.updated_at, missingCameras: missing };
  }
}
