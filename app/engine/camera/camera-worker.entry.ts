/**
 * Camera worker process (bundled to dist/node/camera-worker.cjs): one per enabled camera, started by the
 * camera supervisor through a WorkerStarter. Waits for `start`, then runs a CameraSession and forwards its
 * states, frames and stats. Exits when asked (`shutdown`), and also when the parent goes away (IPC
 * disconnect, or the parent-pid watchdog in an Electron utility process), always killing its ffmpeg first.
 */
import { resolveFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import { createInferenceClient } from '../inference/inference-client';
import { createWorkerLogger } from '../logging/worker-logger';
import { startHeapCompaction } from '../process/heap-compaction';
import { getParentChannel } from '../process/parent-port';
import { AnalyticsStage } from './analytics-stage';
import { CameraSession } from './camera-session';
import type { FromCameraWorker, ToCameraWorker } from './camera-worker-protocol';

const channel = getParentChannel();
const send = (m: FromCameraWorker) => channel.send(m);
let session: CameraSession | null = null;
/** Tracker + rules, on frames with detections (created with the session). */
let analytics: AnalyticsStage | null = null;
/** Lines go to the supervisor's logger (worker-logger.ts; it adds the camera and pid), redacted before they leave. */
const log = createWorkerLogger(send);
let exiting = false;
/** A full garbage collection a minute keeps this long-running worker's memory flat (heap-compaction.ts). */
const HEAP_COMPACTION_MS = 60_000;
const compaction = startHeapCompaction(HEAP_COMPACTION_MS);

async function shutdown(code: number): Promise<void> {
  if (exiting) return;
  exiting = true;
  compaction.dispose();
  const done = session?.dispose() ?? Promise.resolve();
  const last = analytics?.flush() ?? [];
  if (last.length) send({ type: 'tracks', tracks: last });
  const timer = setTimeout(() => {
    session?.killNow();
    process.exit(code);
  }, 3_000);
  await done;
  clearTimeout(timer);
  process.exit(code);
}

channel.onMessage((raw) => {
  const m = raw as ToCameraWorker;
  if (m?.type === 'shutdown') {
    void shutdown(0);
  } else if (m?.type === 'rules') {
    analytics?.setRules(m.rules);
    session?.setRules(m.rules);
  } else if (m?.type === 'reduced-rate') {
    session?.setReducedRate(m.fps);
  } else if (m?.type === 'masks') {
    analytics?.setMasks(m.masks);
    session?.setMasks(m.masks);
  } else if (m?.type === 'start' && !session && !exiting) {
    const stage = new AnalyticsStage(m.config.id, m.config.rules ?? [], m.config.masks ?? []);
    analytics = stage;
    session = new CameraSession(m.config, m.options, {
      ffmpegPath: () => resolveFfmpeg().path,
      ffmpegVersion: () => resolveFfmpeg().version,
      createInferenceClient,
      onState: (state) => send({ type: 'state', state }),
      onFrame: (header, jpeg, looks) => {
        // Track ids are written into this frame's detections before it leaves, so the overlay, the events
        // and the stored tracks all come from the same frame.
        const out = stage.process(header, jpeg, looks);
        // the JPEG as raw bytes on the binary channel where the host has one (no structured clone)
        if (channel.sendWithBody) channel.sendWithBody({ type: 'frame', header }, 'jpeg', jpeg);
        else send({ type: 'frame', header, jpeg });
        if (out.report) send({ type: 'analytics', report: out.report });
        if (out.finishedTracks.length) send({ type: 'tracks', tracks: out.finishedTracks });
      },
      onStats: (stats) => send({ type: 'stats', stats }),
      onFfmpeg: (pid) => send({ type: 'ffmpeg', pid }),
      liveTracks: () => stage.liveTracks(),
      analysisStatus: () => stage.status(),
      log: (level, msg) => log[level](msg),
    });
    session.start();
  }
});

// The parent went away (crashed or killed): never outlive it, never leave ffmpeg behind.
channel.onParentGone(() => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
process.on('exit', () => session?.killNow());
process.on('uncaughtException', (e) => {
  log.error('camera worker failed', { err: e });
  session?.killNow();
  // one turn of the event loop, so the log line above is handed to the parent before the exit
  setImmediate(() => process.exit(1));
});

send({ type: 'ready' });
