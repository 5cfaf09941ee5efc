/**
 * The only Electron IPC channel names (main <-> preload). All contract channels travel inside these, so main
 * has ONE gateway to guard: requests are `{ channel, input }` on IPC_INVOKE and answered with an Envelope.
 */
export const IPC_INVOKE = 'watchroom:invoke';
/** main -> renderer: `{ event, payload }` push events (after IPC_READY). */
export const IPC_PUSH = 'watchroom:push';
/** renderer -> main: the preload has its listeners in place; queued pushes may flow. */
export const IPC_READY = 'watchroom:ready';
/** main -> renderer: transfers the MessagePort that carries live frames. */
export const IPC_FRAME_PORT = 'watchroom:frame-port';

/** Messages the renderer sends on the frame port. */
export type FramePortRequest = { t: 'frames'; cameraId: string; on: boolean } | { t: 'ack'; cameraId: string };

/** Scheme and origin the Electron renderer is served from (registered standard + secure). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'watchroom';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
