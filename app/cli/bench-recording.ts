import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CameraSupervisor } from '../engine/camera/camera-supervisor';
import { ProcStatSampler } from '../engine/camera/process-usage';
import type { Logger } from '../engine/logging/logger';
import { createNodeWorkerStarter } from '../engine/process/node-worker-starter';
import { RecordingService } from '../engine/recording/recording.service';
import { RecordingSettingsRepository } from '../engine/recording/recording-settings.repository';
import { SegmentIndex } from '../engine/recording/segment-index';
import { openDatabase } from '../engine/storage/database';
import { SettingsRepository } from '../engine/storage/settings.repository';

/** CPU of one live camera without recording and with it, in the same run (% of one core). */
export interface RecordingCost {
  clip: string;
  seconds: number;
  /** Camera worker + its ffmpeg + this process, without recording. */
  cameraCpuPercent: number;
  /** The same with the camera recorded. */
  cameraWithRecordingCpuPercent: number;
  /**
   * What recording adds: the recorder ffmpeg plus this process's extra CPU (reading the recorder's pipes, moving and
   * indexing segments). The camera's own processes are not part of it (recording does not touch them); their
   * change between the windows is the machine's noise and is printed beside it.
   */
  recordingCpuPercent: number;
  /** This process's extra CPU with the recorder (part of recordingCpuPercent). */
  hostExtraCpuPercent: number;
  /** The recorder ffmpeg alone. */
  recorderFfmpegCpuPercent: number;
  /** Segments completed during the measured window. */
  segments: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU % of a set of processes and of this one over `seconds`. */
async function measure(pids: number[], seconds: number): Promise<{ total: number; self: number; byPid: Map<number, number> }> {
  const samplers = pids.map((p) => new ProcStatSampler(p));
  samplers.forEach((s) => s.sample());
  const self = process.cpuUsage();
  const t0 = Date.now();
  await sleep(seconds * 1000);
  const byPid = new Map<number, number>();
  for (const s of samplers) byPid.set(s.pid, s.sample()?.cpuPercent ?? 0);
  const used = process.cpuUsage(self);
  const selfPct = ((used.user + used.system) / 1000 / (Date.now() - t0)) * 100;
  return { total: [...byPid.values()].reduce((a, b) => a + b, 0) + selfPct, self: selfPct, byPid };
}

/**
 * The recording phase: one live camera (the app's camera worker on the clip in real time, display output only, no
 * detection), measured for `seconds` without recording, then with the app's recorder on the same source for the
 * same time (after `warmupSeconds`). The clip is read in real time (`-re`, looped) by both, as a camera would send it.
 */
export async function recordingCost(o: { clip: string; seconds: number; warmupSeconds: number; log: (m: string) => void }): Promise<RecordingCost> {
  const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: (m) => o.log(m), error: (m) => o.log(m), child: () => quiet };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-bench-rec-'));
  const db = openDatabase({ dataDir, logger: quiet });
  const supervisor = new CameraSupervisor({ starter: createNodeWorkerStarter({ logger: quiet }), logger: quiet });
  const source = path.resolve(o.clip);
  const index = new SegmentIndex(db, path.join(dataDir, 'recordings'));
  let recordOn = false;
  const recording = new RecordingService({
    index,
    settings: new RecordingSettingsRepository(db, new SettingsRepository(db)),
    logger: quiet,
    cameras: () => (recordOn ? [{ id: 'bench-rec', source, rtspTransport: 'tcp', enabled: true }] : []),
    freeBytes: () => null,
  });
  try {
    supervisor.apply([{ id: 'bench-rec', name: 'bench recording', source, rtspTransport: 'tcp', analysisFps: 10, enabled: true }]);
    const until = Date.now() + 60_000;
    while (!(supervisor.processes('bench-rec').ffmpegPid && supervisor.state('bench-rec').type === 'online')) {
      if (Date.now() > until) throw new Error(`bench camera did not come online: ${JSON.stringify(supervisor.state('bench-rec'))}`);
      await sleep(200);
    }
    await sleep(o.warmupSeconds * 1000);
    const camPids = () => {
      const p = supervisor.processes('bench-rec');
      return [p.workerPid, p.ffmpegPid].filter((x): x is number => !!x);
    };
    o.log(`recording: one camera without recording (${o.seconds} s)`);
    const without = await measure(camPids(), o.seconds);
    recordOn = true;
    await recording.start();
    const until2 = Date.now() + 30_000;
    while (!recording.recorderPids().get('bench-rec')) {
      if (Date.now() > until2) throw new Error('the recorder did not start');
      await sleep(100);
    }
    await sleep(o.warmupSeconds * 1000);
    const recorderPid = recording.recorderPids().get('bench-rec')!;
    const segmentsBefore = index.usage().segments;
    o.log(`recording: the same camera recorded (${o.seconds} s)`);
    const withRec = await measure([...camPids(), recorderPid], o.seconds);
    const recorderCpu = withRec.byPid.get(recorderPid) ?? 0;
    return {
      clip: o.clip,
      seconds: o.seconds,
      cameraCpuPercent: round2(without.total),
      cameraWithRecordingCpuPercent: round2(withRec.total),
      recordingCpuPercent: round2(recorderCpu + Math.max(0, withRec.self - without.self)),
      hostExtraCpuPercent: round2(withRec.self - without.self),
      recorderFfmpegCpuPercent: round2(recorderCpu),
      segments: index.usage().segments - segmentsBefore,
    };
  } finally {
    await recording.stop();
    await supervisor.dispose();
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
