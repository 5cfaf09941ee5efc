import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { CameraRuntimeConfig } from '../../app/engine/camera/camera-runtime';
import { CameraSupervisor } from '../../app/engine/camera/camera-supervisor';
import type { CameraWorkerOptions } from '../../app/engine/camera/camera-worker-protocol';
import type { Logger } from '../../app/engine/logging/logger';
import { createNodeWorkerStarter } from '../../app/engine/process/node-worker-starter';
import type { CameraState, CameraStateType } from '../../app/shared/domain/camera';
import type { LiveFrame } from '../../app/shared/domain/detection';
import { repoRoot } from './shared-fixtures';

/**
 * A CameraSupervisor on real worker processes (dist/node/camera-worker.cjs) with everything the camera
 * integration tests observe: state history per camera, recent frames, every log line, and polling helpers.
 */
export interface CameraHarness {
  supervisor: CameraSupervisor;
  states: Map<string, CameraState[]>;
  frames: Map<string, LiveFrame[]>;
  /** Every log line of the supervisor and of the workers (stdout/stderr). */
  logs: string[];
  /**
   * Polls until the camera's current state, or any state it reported since the call, satisfies `pred`;
   * throws with the history on timeout.
   */
  waitForState(id: string, pred: CameraStateType | ((s: CameraState) => boolean), timeoutMs?: number): Promise<CameraState>;
  /** Polls until at least `count` more frames arrived for the camera. */
  waitForFrames(id: string, count: number, timeoutMs?: number): Promise<LiveFrame[]>;
  dispose(): Promise<void>;
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export function cameraConfig(id: string, source: string, extra: Partial<CameraRuntimeConfig> = {}): CameraRuntimeConfig {
  return { id, name: id, source, rtspTransport: 'tcp', analysisFps: 5, enabled: true, ...extra };
}

export async function poll<T>(what: string, fn: () => T | undefined | null | false, timeoutMs: number, detail: () => string = () => ''): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Pids of processes whose command line contains the marker (pgrep -f); [] when none. */
export function pgrep(marker: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((pid) => pid !== process.pid);
  } catch {
    return [];
  }
}

export function alive(pid: number | null | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function createCameraHarness(worker: Partial<CameraWorkerOptions> = {}): CameraHarness {
  const logs: string[] = [];
  const mk = (fields: Record<string, unknown>): Logger => {
    const line = (level: string) => (msg: string, f?: Record<string, unknown>) => logs.push(`${level} ${msg} ${JSON.stringify({ ...fields, ...f })}`);
    return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error'), child: (f) => mk({ ...fields, ...f }) };
  };
  const logger = mk({});
  const supervisor = new CameraSupervisor({
    starter: createNodeWorkerStarter({ dir: path.join(repoRoot, 'dist', 'node'), logger }),
    logger,
    worker,
    restartBackoff: { initialMs: 500 },
  });
  const states = new Map<string, CameraState[]>();
  const frames = new Map<string, LiveFrame[]>();
  const counts = new Map<string, number>();
  supervisor.onState((id, s) => {
    const list = states.get(id) ?? [];
    list.push(s);
    states.set(id, list);
  });
  supervisor.onFrame((f) => {
    const list = frames.get(f.cameraId) ?? [];
    list.push(f);
    if (list.length > 50) list.shift();
    frames.set(f.cameraId, list);
    counts.set(f.cameraId, (counts.get(f.cameraId) ?? 0) + 1);
  });
  const history = (id: string) => () => `states of ${id}: ${JSON.stringify(states.get(id) ?? [])}\nlast logs:\n${logs.slice(-25).join('\n')}`;
  return {
    supervisor,
    states,
    frames,
    logs,
    waitForState: (id, pred, timeoutMs = 60_000) => {
      const test = typeof pred === 'string' ? (s: CameraState) => s.type === pred : pred;
      // Matches the current state or any state reported since the call, so short-lived states are not missed.
      const from = states.get(id)?.length ?? 0;
      return poll(`camera ${id} state ${typeof pred === 'string' ? pred : 'predicate'}`, () => {
        const s = supervisor.state(id);
        if (test(s)) return s;
        return (states.get(id) ?? []).slice(from).find(test) ?? null;
      }, timeoutMs, history(id));
    },
    waitForFrames: async (id, count, timeoutMs = 60_000) => {
      const start = counts.get(id) ?? 0;
      await poll(`${count} frames from ${id}`, () => (counts.get(id) ?? 0) - start >= count, timeoutMs, history(id));
      return frames.get(id) ?? [];
    },
    dispose: () => supervisor.dispose(),
  };
}
