import type { ModelView } from '../../../../shared/domain/model';
import type { AppInfo } from '../../../../shared/ipc/app.contract';
import type { DetectionStatus, FaceDetectorInUse, ModelInstallProgress } from '../../../../shared/ipc/models.contract';
import type { ConnectionStatus } from '../../api/connection-status';

export interface AppState {
  /** Host kind, version and data dir (app:info), null until known. */
  info: AppInfo | null;
  /** Link to the host. */
  connection: ConnectionStatus;
  /** Whether detection runs (models:status), null until known. */
  detection: DetectionStatus | null;
  /** models:list, null until loaded. */
  models: ModelView[] | null;
  /** Why models could not be loaded or changed. */
  modelsError: string | null;
  /** A models:set-default call is in flight. */
  modelsBusy: boolean;
  /** The model being fetched from an address or imported from a file (models:install-progress), or the last one's outcome. */
  modelInstall: ModelInstallProgress | null;
  /** Why a fetch or an import could not start or go on. */
  modelInstallError: string | null;
  /** Which Models section started the install: its progress shows there. */
  modelInstallSource: 'address' | 'file' | null;
  /** The watchlist's face detector (models:face-detector), null until loaded. */
  faceDetector: FaceDetectorInUse | null;
}
export const initialAppState: AppState = { info: null, connection: { state: 'connecting', attempt: 1 }, detection: null, models: null, modelsError: null, modelsBusy: false, modelInstall: null, modelInstallError: null, modelInstallSource: null, faceDetector: null };
