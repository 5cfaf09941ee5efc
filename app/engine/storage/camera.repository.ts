import { ulid } from 'ulid';
import type { CameraSettings } from '../../shared/domain/camera';
import { DetectionTilingSchema, type DetectionTiling } from '../../shared/domain/detection-tiling';
import { DEFAULT_MOTION_GATING, MotionGatingSchema, type MotionGating } from '../../shared/domain/motion-gating';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { Db } from './database';
import type { SecretBox } from './secret-box';

/** A stored camera, with its real (unmasked) source. Never send this to the renderer: see camera.service.ts. */
export interface CameraRecord extends CameraSettings {
  id: string;
  /** ISO-8601 timestamps. */
  createdAt: string;
  updatedAt: string;
}

/** Settings as written: tiled detection may be left out (off), so callers that predate it need not name it. */
export type CameraSettingsToStore = Omit<CameraSettings, 'detectionTiling' | 'motionGating'> & { detectionTiling?: DetectionTiling | null; motionGating?: MotionGating };

interface CameraRow {
  id: string;
  name: string;
  source: string;
  rtsp_transport: 'tcp' | 'udp';
  analysis_fps: number;
  enabled: number;
  model_id: string | null;
  /** JSON of DetectionTiling, or null (off). */
  detection_tiling: string | null;
  /** JSON of MotionGating, or null (the default: on, medium). Added by migration 19. */
  motion_gating: string | null;
  created_at: string;
  updated_at: string;
}

/** Stored motion gating, or the default (on, medium) when absent or no longer valid. */
function parseStoredGating(text: string | null): MotionGating {
  if (!text) return { ...DEFAULT_MOTION_GATING };
  try {
    const parsed = MotionGatingSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : { ...DEFAULT_MOTION_GATING };
  } catch {
    return { ...DEFAULT_MOTION_GATING };
  }
}

/** A stored tiling, or null (off) when absent or no longer valid (a camera then runs untiled rather than not at all). */
function parseStoredTiling(text: string | null): DetectionTiling | null {
  if (!text) return null;
  try {
    const parsed = DetectionTilingSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const isUniqueViolation = (e: unknown): boolean => (e as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
const nameTaken = (name: string) => new AppErrorException('conflict', `A camera named "${name}" already exists.`);

/** Cameras table. Sources are sealed with the SecretBox on write and opened on read. */
export class CameraRepository {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(): CameraRecord[] {
    const rows = this.db.prepare('SELECT * FROM cameras ORDER BY created_at, id').all() as CameraRow[];
    return rows.map((r) => this.fromRow(r));
  }

  get(id: string): CameraRecord | undefined {
    const row = this.db.prepare('SELECT * FROM cameras WHERE id = ?').get(id) as CameraRow | undefined;
    return row ? this.fromRow(row) : undefined;
  }

  /** Camera name by id (health rows, reports, inference logs); the id when unknown. */
  nameOf(id: string): string {
    return this.get(id)?.name ?? id;
  }

  /** Enabled cameras and the model each asks for (null: the site default). */
  modelWishes(): { name: string; modelId: string | null }[] {
    return this.list().filter((r) => r.enabled).map((r) => ({ name: r.name, modelId: r.modelId }));
  }

  insert(settings: CameraSettingsToStore): CameraRecord {
    const at = this.now().toISOString();
    const record: CameraRecord = { ...settings, detectionTiling: settings.detectionTiling ?? null, motionGating: settings.motionGating ?? { ...DEFAULT_MOTION_GATING }, id: ulid(), createdAt: at, updatedAt: at };
    try {
      this.db
        .prepare(
          `INSERT INTO cameras (id, name, source, rtsp_transport, analysis_fps, enabled, model_id, detection_tiling, motion_gating, created_at, updated_at)
           VALUES (@id, @name, @source, @rtsp_transport, @analysis_fps, @enabled, @model_id, @detection_tiling, @motion_gating, @created_at, @updated_at)`,
        )
        .run(this.toRow(record));
    } catch (e) {
      if (isUniqueViolation(e)) throw nameTaken(settings.name);
      throw e;
    }
    return record;
  }

  /** Replaces every setting of an existing camera; throws not-found / conflict. */
  update(id: string, settings: CameraSettingsToStore): CameraRecord {
    const existing = this.get(id);
    if (!existing) throw new AppErrorException('not-found', 'This camera does not exist (any more).');
    const record: CameraRecord = { ...settings, detectionTiling: settings.detectionTiling ?? null, motionGating: settings.motionGating ?? existing.motionGating, id, createdAt: existing.createdAt, updatedAt: this.now().toISOString() };
    try {
      this.db
        .prepare(
          `UPDATE cameras SET name = @name, source = @source, rtsp_transport = @rtsp_transport, analysis_fps = @analysis_fps,
             enabled = @enabled, model_id = @model_id, detection_tiling = @detection_tiling, motion_gating = @motion_gating, updated_at = @updated_at WHERE id = @id`,
        )
        .run(this.toRow(record));
    } catch (e) {
      if (isUniqueViolation(e)) throw nameTaken(settings.name);
      throw e;
    }
    return record;
  }

  /** Re-seals sources stored in plaintext by the old placeholder box (or another box's legacy form); returns how many. */
  resealAll(): number {
    const isSealed = this.secrets.isSealed;
    if (!isSealed) return 0;
    const rows = this.db.prepare('SELECT id, source FROM cameras').all() as { id: string; source: string }[];
    const update = this.db.prepare('UPDATE cameras SET source = ? WHERE id = ?');
    let n = 0;
    this.db.transaction(() => {
      for (const r of rows) {
        if (isSealed(r.source)) continue;
        update.run(this.secrets.seal(this.secrets.open(r.source)), r.id);
        n++;
      }
    })();
    return n;
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM cameras WHERE id = ?').run(id).changes > 0;
  }

  private toRow(r: CameraRecord): CameraRow {
    return {
      id: r.id,
      name: r.name,
      source: this.secrets.seal(r.source),
      rtsp_transport: r.rtspTransport,
      analysis_fps: r.analysisFps,
      enabled: r.enabled ? 1 : 0,
      model_id: r.modelId,
      detection_tiling: r.detectionTiling ? JSON.stringify(r.detectionTiling) : null,
      motion_gating: JSON.stringify(r.motionGating),
      created_at: r.createdAt,
      updated_at: r.updatedAt,
    };
  }

  private fromRow(r: CameraRow): CameraRecord {
    return {
      id: r.id,
      name: r.name,
      source: this.secrets.open(r.source),
      rtspTransport: r.rtsp_transport,
      analysisFps: r.analysis_fps,
      enabled: r.enabled === 1,
      modelId: r.model_id,
      detectionTiling: parseStoredTiling(r.detection_tiling),
      motionGating: parseStoredGating(r.motion_gating),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}
