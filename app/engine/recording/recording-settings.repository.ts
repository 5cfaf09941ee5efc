import { CameraRecordingSchema, DEFAULT_CAMERA_RECORDING, DEFAULT_RECORDING_STORAGE, RecordingStorageSchema, type CameraRecording, type RecordingStorage } from '../../shared/domain/recording';
import type { Db } from '../storage/database';
import type { SettingsRepository } from '../storage/settings.repository';

/** Settings key of the site-wide recording storage limits. */
export const RECORDING_STORAGE_KEY = 'recording.storage';

/** Per-camera recording settings (`recording_settings`, no row: the defaults) and the site's storage limits. */
export class RecordingSettingsRepository {
  constructor(
    private readonly db: Db,
    private readonly settings: SettingsRepository,
  ) {}

  /** A camera's settings: its stored row, else the defaults (continuous), also when a stored row no longer parses. */
  camera(cameraId: string): CameraRecording {
    const text = this.db.prepare('SELECT settings FROM recording_settings WHERE camera_id = ?').pluck().get(cameraId) as string | undefined;
    if (text === undefined) return DEFAULT_CAMERA_RECORDING;
    try {
      const parsed = CameraRecordingSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : DEFAULT_CAMERA_RECORDING;
    } catch {
      return DEFAULT_CAMERA_RECORDING;
    }
  }

  setCamera(cameraId: string, s: CameraRecording): void {
    this.db
      .prepare('INSERT INTO recording_settings (camera_id, settings, updated_at) VALUES (?, ?, ?) ON CONFLICT(camera_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at')
      .run(cameraId, JSON.stringify(CameraRecordingSchema.parse(s)), new Date().toISOString());
  }

  storage(): RecordingStorage {
    return this.settings.get(RECORDING_STORAGE_KEY, RecordingStorageSchema) ?? DEFAULT_RECORDING_STORAGE;
  }

  setStorage(s: RecordingStorage): void {
    this.settings.set(RECORDING_STORAGE_KEY, RecordingStorageSchema.parse(s));
  }
}
