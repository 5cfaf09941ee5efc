import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { modelsInvoke } from '../../shared/ipc/models.contract';
import { faceDetectorInUse, removeImportedFaceDetector } from '../faces/face-detector-import';
import type { ModelInstaller } from '../models/model-installer';
import type { ModelsService } from './models.service';

/**
 * The detection models: list, default, status, and models an admin installs from the app (progress on
 * models:install-progress); also the watchlist's face detector (shipped or imported). `faceModelsChanged`: the face
 * step opens its models again.
 */
export function modelsHandlers(models: ModelsService, installer: () => ModelInstaller, faceModelsChanged: () => Promise<void>): AreaHandlers<typeof modelsInvoke> {
  return {
    'models:list': () => models.list(),
    'models:set-default': ({ id }) => models.setDefault(id),
    'models:status': () => models.status(),
    'models:fetch-url': ({ url, sha256 }) => ({ jobId: installer().fetchFromUrl(url, sha256).jobId }),
    'models:upload-begin': ({ fileName, size, decoder, licence }, ctx) =>
      installer().beginUpload({ fileName, size, decoder: decoder === 'auto' ? undefined : decoder, licence, by: ctx.user?.name }),
    'models:upload-chunk': ({ uploadId, offset, data }) => installer().uploadChunk(uploadId, offset, Buffer.from(data, 'base64')),
    'models:upload-finish': ({ uploadId }) => ({ jobId: installer().finishUpload(uploadId).jobId }),
    'models:face-detector': () => faceDetectorInUse(models.manifestDirs),
    'models:face-detector-remove': async () => {
      if (removeImportedFaceDetector(models.modelsDir)) await faceModelsChanged();
      return faceDetectorInUse(models.manifestDirs);
    },
    'models:upload-cancel': ({ uploadId }) => {
      installer().cancelUpload(uploadId);
      return { ok: true as const };
    },
  };
}
