import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { recordingsInvoke } from '../../shared/ipc/recordings.contract';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { RecordingService } from './recording.service';
import type { SegmentIndex } from './segment-index';

/** The `recordings` area: timeline ranges, per-camera recording settings, storage limits and usage. */
export function recordingsHandlers(deps: { recording: () => RecordingService; index: () => SegmentIndex; cameraExists: (id: string) => boolean }): AreaHandlers<typeof recordingsInvoke> {
  const camera = (id: string) => {
    if (!deps.cameraExists(id)) throw new AppErrorException('not-found', 'This camera does not exist (any more).');
    return id;
  };
  const storageStatus = () => ({ storage: deps.recording().storage(), usage: deps.recording().usage() });
  return {
    'recordings:ranges': ({ cameraId, fromMs, toMs }) => ({ cameraId, fromMs, toMs, ranges: deps.index().ranges(camera(cameraId), fromMs, toMs) }),
    'recordings:camera-get': ({ cameraId }) => deps.recording().cameraSettings(camera(cameraId)),
    'recordings:camera-set': ({ cameraId, settings }) => deps.recording().setCameraSettings(camera(cameraId), settings),
    'recordings:storage-get': () => storageStatus(),
    'recordings:storage-set': ({ storage }) => {
      deps.recording().setStorage(storage);
      return storageStatus();
    },
  };
}
