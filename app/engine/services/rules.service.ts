import { RulesFileSchema, type Rule } from '../../shared/domain/rules';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { CameraRules } from '../../shared/ipc/rules.contract';

/** One camera's saved rules as stored. */
export interface StoredRules {
  cameraId: string;
  /** Already validated rules (RulesFileSchema output). */
  rules: Rule[];
  /** ISO time of the save. */
  updatedAt: string;
}

/** Persistence of rules, one row per camera (rules kept as JSON). */
export interface RulesRepository {
  /** The saved rules of a camera, or null when none were ever saved. */
  get(cameraId: string): StoredRules | null;
  /** Replaces the rules of a camera. */
  save(row: StoredRules): void;
  /** Forgets a camera's rules (camera removed). */
  remove(cameraId: string): void;
}

/** In-memory repository for tests and for hosts without a database. */
export class InMemoryRulesRepository implements RulesRepository {
  private readonly rows = new Map<string, StoredRules>();
  get(cameraId: string): StoredRules | null {
    const r = this.rows.get(cameraId);
    return r ? structuredClone(r) : null;
  }
  save(row: StoredRules): void {
    this.rows.set(row.cameraId, structuredClone(row));
  }
  remove(cameraId: string): void {
    this.rows.delete(cameraId);
  }
}

export interface RulesServiceOptions {
  repository: RulesRepository;
  /** Called after a successful save (push `rules:changed`, hand the rules to the running camera). */
  onSaved?: (saved: CameraRules) => void;
  /** Whether a camera exists; when given, rules of unknown cameras are refused with `not-found`. */
  cameraExists?: (cameraId: string) => boolean;
  /** Clock (ISO strings are taken from it). */
  now?: () => Date;
}

/** Issue list sent as `details` of a rejected save: path (joined with dots) and message per problem. */
export interface RuleProblem {
  path: string;
  message: string;
}

/**
 * Reads and saves the lines and zones of each camera. Every save is validated as a whole with RulesFileSchema
 * (simple polygons, non-degenerate lines, coordinates within 0..1, known rule types, unique ids); a rejected
 * save throws `invalid-input` listing every problem and leaves the saved rules untouched.
 */
export class RulesService {
  private readonly repo: RulesRepository;
  private readonly now: () => Date;
  constructor(private readonly opts: RulesServiceOptions) {
    this.repo = opts.repository;
    this.now = opts.now ?? (() => new Date());
  }

  get(cameraId: string): CameraRules {
    this.assertCamera(cameraId);
    const row = this.repo.get(cameraId);
    return row ? { cameraId, rules: row.rules, updatedAt: row.updatedAt } : { cameraId, rules: [], updatedAt: null };
  }

  save(cameraId: string, rules: unknown[]): CameraRules {
    this.assertCamera(cameraId);
    const parsed = RulesFileSchema.safeParse({ rules });
    if (!parsed.success) {
      const problems: RuleProblem[] = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new AppErrorException('invalid-input', `invalid rules: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`, problems);
    }
    const row: StoredRules = { cameraId, rules: parsed.data.rules, updatedAt: this.now().toISOString() };
    this.repo.save(row);
    const saved: CameraRules = { cameraId, rules: row.rules, updatedAt: row.updatedAt };
    this.opts.onSaved?.(saved);
    return saved;
  }

  /** Drops a removed camera's rules. */
  forget(cameraId: string): void {
    this.repo.remove(cameraId);
  }

  private assertCamera(cameraId: string): void {
    if (this.opts.cameraExists && !this.opts.cameraExists(cameraId)) throw new AppErrorException('not-found', `No camera with id "${cameraId}".`);
  }
}
