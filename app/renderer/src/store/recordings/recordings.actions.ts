import type { CameraRecording, RecordingStorage } from '../../../../shared/domain/recording';
import type { RecordingStorageStatus } from '../../../../shared/ipc/recordings.contract';
import type { StoreDeps } from '../store-deps';

/**
 * Recording settings: the camera form's Recording section and Settings → Recording storage. Small forms that hold
 * their own draft, so no slice: the actions return what the host answered (and reject with its error).
 */
export interface RecordingsActions {
  loadCameraRecording(cameraId: string): Promise<CameraRecording>;
  saveCameraRecording(cameraId: string, settings: CameraRecording): Promise<CameraRecording>;
  loadRecordingStorage(): Promise<RecordingStorageStatus>;
  saveRecordingStorage(storage: RecordingStorage): Promise<RecordingStorageStatus>;
}

export function createRecordingsActions({ api }: StoreDeps): RecordingsActions {
  return {
    loadCameraRecording: (cameraId) => api.invoke('recordings:camera-get', { cameraId }),
    saveCameraRecording: (cameraId, settings) => api.invoke('recordings:camera-set', { cameraId, settings }),
    loadRecordingStorage: () => api.invoke('recordings:storage-get'),
    saveRecordingStorage: (storage) => api.invoke('recordings:storage-set', { storage }),
  };
}
