import type { LiveFrame } from './domain/detection';
import type { InvokeChannel, InvokeInput, InvokeOutput, PushChannel, PushPayload } from './ipc/contracts';

/**
 * Everything the renderer can do, as one interface. Implemented by the Electron preload (contextBridge,
 * IPC + a MessagePort for frames) and by the headless host's WebSocket client. Components never call
 * `window.*` directly: store actions call this.
 */
export interface WatchroomApi {
  /** Calls an engine service; rejects with an Error carrying `code` (AppErrorCode) on failure. */
  invoke<C extends InvokeChannel>(channel: C, ...input: InvokeInput<C> extends void | undefined ? [] : [InvokeInput<C>]): Promise<InvokeOutput<C>>;
  /** Subscribes to a push channel; returns the unsubscribe function. */
  on<E extends PushChannel>(event: E, listener: (payload: PushPayload<E>) => void): () => void;
  /** Live frames (JPEG + the detections computed on that very frame) of one camera; returns unsubscribe. */
  subscribeFrames(cameraId: string, listener: (frame: LiveFrame) => void): () => void;
}

/** Name of the global the preload exposes (`window.watchroom`). */
export const API_GLOBAL = 'watchroom';
