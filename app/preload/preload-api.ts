import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { WatchroomApi } from '../shared/api';
import type { LiveFrame } from '../shared/domain/detection';
import { isInvokeChannel, isPushChannel } from '../shared/ipc/contracts';
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

/** An Error carrying the AppErrorCode, as WatchroomApi.invoke promises. */
function appError(code: AppErrorCode, message: string, details?: unknown): Error {
  return Object.assign(new Error(message), { code, ...(details !== undefined ? { details } : {}) });
}

/** The renderer API over the single gateway channel, push events and the frames MessagePort. */
export function createPreloadApi(ipc: IpcRendererLike): WatchroomApi {
  const pushListeners = new Map<string, Set<(payload: unknown) => void>>();
  const frameListeners = new Map<string, Set<(frame: LiveFrame) => void>>();
  let port: RendererPort | null = null;

  const request = (m: FramePortRequest) => port?.postMessage(m);

  ipc.on(IPC_PUSH, (_e: IpcRendererEvent, msg: { event?: unknown; payload?: unknown }) => {
    if (typeof msg?.event !== 'string') return;
    pushListeners.get(msg.event)?.forEach((l) => {
      try {
        l(msg.payload);
      } catch (err) {
        console.error('push listener failed', err);
      }
    });
  });
  ipc.on(IPC_FRAME_PORT, (e: IpcRendererEvent) => {
    const next = e.ports?.[0] as unknown as RendererPort | undefined;
    if (!next) return;
    port?.close();
    port = next;
    port.onmessage = (ev) => {
      const frame = ev.data as LiveFrame;
      if (!frame || typeof frame.cameraId !== 'string') return;
      frameListeners.get(frame.cameraId)?.forEach((l) => {
        try {
          l(frame);
        } catch (err) {
          console.error('frame listener failed', err);
        }
      });
      request({ t: 'ack', cameraId: frame.cameraId });
    };
    port.start();
    for (const cameraId of frameListeners.keys()) request({ t: 'frames', cameraId, on: true });
  });
  ipc.send(IPC_READY);

  const api: WatchroomApi = {
    invoke: (async (channel: string, ...rest: unknown[]) => {
      if (!isInvokeChannel(channel)) throw appError('invalid-input', `Unknown request "${String(channel)}".`);
      const env = (await ipc.invoke(IPC_INVOKE, { channel, input: rest[0] })) as Envelope<unknown>;
      if (env?.ok) return env.value;
      throw appError(env?.error?.code ?? 'internal', env?.error?.message ?? 'No answer from the engine.', env?.error?.details);
    }) as WatchroomApi['invoke'],
    on: ((event: string, listener: (payload: unknown) => void) => {
      if (!isPushChannel(event)) throw appError('invalid-input', `Unknown event "${String(event)}".`);
      let set = pushListeners.get(event);
      if (!set) pushListeners.set(event, (set = new Set()));
      const l = (p: unknown) => listener(p);
      set.add(l);
      return () => void set.delete(l);
    }) as WatchroomApi['on'],
    subscribeFrames(cameraId, listener) {
      let set = frameListeners.get(cameraId);
      if (!set) {
        frameListeners.set(cameraId, (set = new Set()));
        request({ t: 'frames', cameraId, on: true });
      }
      const l = (f: LiveFrame) => listener(f);
      set.add(l);
      return () => {
        set.delete(l);
        if (!set.size && frameListeners.get(cameraId) === set) {
          frameListeners.delete(cameraId);
          request({ t: 'frames', cameraId, on: false });
        }
      };
    },
  };
  return api;
}
