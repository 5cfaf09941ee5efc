import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { WatchroomApi } from '../shared/api';
import type { LiveFrame } from '../shared/domain/detection';
import { consoleErrorLog, KeyedEmitter } from '../shared/events/emitter';
import { isInvokeChannelName as isInvokeChannel, isPushChannelName as isPushChannel } from './channel-names';
import { IPC_FRAME_PORT, IPC_INVOKE, IPC_PUSH, IPC_READY, type FramePortRequest } from '../shared/ipc/electron-channels';
import type { AppErrorCode, Envelope } from '../shared/ipc/envelope';

type IpcRendererLike = Pick<IpcRenderer, 'invoke' | 'on' | 'send'>;
/** The DOM MessagePort as the preload uses it (typed here: the Node tsconfig has no DOM lib). */
interface RendererPort {
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

/** An Error carrying the AppErrorCode. */
function appError(code: AppErrorCode, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * What crosses the context bridge: invoke answers with the Envelope itself, because contextBridge drops
 * custom properties (our `code`) from Errors. installMainWorldApi() turns it into WatchroomApi in the page.
 */
export interface PreloadBridge {
  invokeEnvelope(channel: string, input?: unknown): Promise<Envelope<unknown>>;
  on: WatchroomApi['on'];
  subscribeFrames: WatchroomApi['subscribeFrames'];
}

/** The bridge over the single gateway channel, push events and the frames MessagePort. */
export function createPreloadBridge(ipc: IpcRendererLike): PreloadBridge {
  let port: RendererPort | null = null;
  const request = (m: FramePortRequest) => port?.postMessage(m);
  const pushListeners = new KeyedEmitter<string, [payload: unknown]>({ name: 'push', log: consoleErrorLog });
  // main sends a camera's frames while someone here watches it
  const frameListeners = new KeyedEmitter<string, [frame: LiveFrame]>({
    name: 'frame',
    log: consoleErrorLog,
    onFirstListener: (cameraId) => request({ t: 'frames', cameraId, on: true }),
    onLastListener: (cameraId) => request({ t: 'frames', cameraId, on: false }),
  });

  ipc.on(IPC_PUSH, (_e: IpcRendererEvent, msg: { event?: unknown; payload?: unknown }) => {
    if (typeof msg?.event !== 'string') return;
    pushListeners.emit(msg.event, msg.payload);
  });
  ipc.on(IPC_FRAME_PORT, (e: IpcRendererEvent) => {
    const next = e.ports?.[0] as unknown as RendererPort | undefined;
    if (!next) return;
    port?.close();
    port = next;
    port.onmessage = (ev) => {
      const frame = ev.data as LiveFrame;
      if (!frame || typeof frame.cameraId !== 'string') return;
      frameListeners.emit(frame.cameraId, frame);
      request({ t: 'ack', cameraId: frame.cameraId });
    };
    port.start();
    for (const cameraId of frameListeners.keys()) request({ t: 'frames', cameraId, on: true });
  });
  ipc.send(IPC_READY);

  const bridge: PreloadBridge = {
    async invokeEnvelope(channel, input) {
      if (!isInvokeChannel(channel)) return { ok: false, error: { code: 'invalid-input', message: `Unknown request "${String(channel).slice(0, 80)}".` } };
      const env = (await ipc.invoke(IPC_INVOKE, { channel, input })) as Envelope<unknown> | undefined;
      return env && typeof env === 'object' && 'ok' in env ? env : { ok: false, error: { code: 'internal', message: 'No answer from the engine.' } };
    },
    on: ((event: string, listener: (payload: unknown) => void) => {
      if (!isPushChannel(event)) throw appError('invalid-input', `Unknown event "${String(event)}".`);
      const sub = pushListeners.on(event, listener as (payload: unknown) => void);
      return () => sub.dispose();
    }) as WatchroomApi['on'],
    subscribeFrames(cameraId, listener) {
      const sub = frameListeners.on(cameraId, listener);
      return () => sub.dispose();
    },
  };
  return bridge;
}

/**
 * Defines `target[key]` as the WatchroomApi over a bridge. Runs in the page's main world through
 * contextBridge.executeInMainWorld, which serialises the function: it must stay self-contained (no imports,
 * no outer variables).
 */
export function installMainWorldApi(key: string, bridge: PreloadBridge, target: object = globalThis): void {
  const api = {
    invoke: async (channel: string, input?: unknown) => {
      const env = await bridge.invokeEnvelope(channel, input);
      if (env.ok) return env.value;
      const err = new Error(env.error.message) as Error & { code: string; details?: unknown };
      err.name = 'AppError';
      err.code = env.error.code;
      if (env.error.details !== undefined) err.details = env.error.details;
      throw err;
    },
    on: (event: string, listener: (payload: unknown) => void) => bridge.on(event as never, listener as never),
    subscribeFrames: (cameraId: string, listener: (frame: unknown) => void) => bridge.subscribeFrames(cameraId, listener as never),
  };
  Object.defineProperty(target, key, { value: Object.freeze(api), writable: false, configurable: false, enumerable: true });
}

/** WatchroomApi inside the preload (tests, and the fallback when executeInMainWorld is missing). */
export function createPreloadApi(ipc: IpcRendererLike): WatchroomApi {
  const holder: Record<string, WatchroomApi> = {};
  installMainWorldApi('api', createPreloadBridge(ipc), holder);
  return holder.api!;
}
