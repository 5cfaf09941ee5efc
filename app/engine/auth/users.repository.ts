import { ulid } from 'ulid';
import type { Role } from '../../shared/domain/user';
import type { UserView } from '../../shared/ipc/auth.contract';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { Db } from '../storage/database';

/** A stored account with its password hash (never leaves the engine). */
export interface UserRecord extends UserView {
  passwordHash: string;
}

interface UserRow {
  id: string;
  name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  must_change_password: number;
}

const fromRow = (r: UserRow): UserRecord => ({ id: r.id, name: r.name, role: r.role, disabled: r.disabled === 1, createdAt: r.created_at, lastLoginAt: r.last_login_at, mustChangePassword: r.must_change_password === 1, passwordHash: r.password_hash });
export const userView = ({ passwordHash: _h, ...v }: UserRecord): UserView => v;

/** The `users` table (parameterised SQL only). */
export class UsersRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  list(): UserRecord[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY created_at, id').all() as UserRow[]).map(fromRow);
  }

  get(id: string): UserRecord | undefined {
    const r = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return r ? fromRow(r) : undefined;
  }

  byName(name: string): UserRecord | undefined {
    const r = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** `mustChangePassword`: the password was chosen by an admin, so the user must choose their own at sign-in. */
  insert(name: string, role: Role, passwordHash: string, mustChangePassword = false): UserRecord {
    const at = this.now().toISOString();
    const id = ulid();
    try {
      this.db
        .prepare('INSERT INTO users (id, name, role, password_hash, disabled, created_at, updated_at, must_change_password) VALUES (?, ?, ?, ?, 0, ?, ?, ?)')
        .run(id, name, role, passwordHash, at, at, mustChangePassword ? 1 : 0);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new AppErrorException('conflict', `An account named "${name}" already exists.`);
      throw e;
    }
    return this.get(id)!;
  }

  update(id: string, patch: { role?: Role; disabled?: boolean; passwordHash?: string; mustChangePassword?: boolean }): UserRecord {
    const u = this.get(id);
    if (!u) throw new AppErrorException('not-found', 'This account does not exist.');
    this.db
      .prepare('UPDATE users SET role = ?, disabled = ?, password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?')
      .run(patch.role ?? u.role, (patch.disabled ?? u.disabled) ? 1 : 0, patch.passwordHash ?? u.passwordHash, (patch.mustChangePassword ?? u.mustChangePassword) ? 1 : 0, this.now().toISOString(), id);
    return this.get(id)!;
  }

  touchLogin(id: string): void {
    this.db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?').run(this.now().toISOString(), id);
  }

  /** Active admins (the last one cannot be demoted or disabled). */
  activeAdmins(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as { n: number }).n;
  }
}
