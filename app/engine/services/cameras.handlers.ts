import type { camerasInvoke } from '../../shared/ipc/cameras.contract';
import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { CameraService } from './camera.service';
import type { Emitter } from '../../shared/events/emitter';

export interface CamerasHandlersDeps {
  cameras: CameraService;
  /** Announced after a camera is deleted: the areas keeping per-camera state forget it. */
  cameraRemoved: Emitter<[cameraId: string]>;
  /** A camera was added, edited, switched or removed: its model wish may have changed. */
  camerasChanged: () => void;
}

export function camerasHandlers({ cameras, cameraRemoved, camerasChanged }: CamerasHandlersDeps): AreaHandlers<typeof camerasInvoke> {
  const changed = <T>(value: T): T => {
    camerasChanged();
    return value;
  };
  return {
    'cameras:list': () => cameras.list(),
    'cameras:add': (input) => changed(cameras.add(input)),
    'cameras:update': ({ id, patch }) => changed(cameras.update(id, patch)),
    'cameras:remove': ({ id }) => {
      const removed = cameras.remove(id);
      cameraRemoved.emit(id);
      return changed(removed);
    },
    'cameras:set-enabled': ({ id, enabled }) => changed(cameras.setEnabled(id, enabled)),
  };
}
