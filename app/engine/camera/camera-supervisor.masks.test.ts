import { describe, expect, it } from 'vitest';
import { PrivacyMaskSchema } from '../../shared/domain/privacy-mask';
import type { WorkerExit, WorkerHandle, WorkerStarter } from '../process/worker-starter';
import type { CameraRuntimeConfig } from './camera-runtime';
import { CameraSupervisor } from './camera-supervisor';
import type { FromCameraWorker, ToCameraWorker } from './camera-worker-protocol';

/** Records what the supervisor sends to each worker. */
class RecordingWorker implements WorkerHandle {
  readonly pid = 4242;
  readonly name = 'camera:a';
  readonly sent: ToCameraWorker[] = [];
  private readonly msg = new Set<(m: unknown) => void>();
  exited = false;
  send(m: unknown) {
    this.sent.push(m as ToCameraWorker);
  }
  onMessage(l: (m: unknown) => void) {
    this.msg.add(l);
    return { dispose: () => this.msg.delete(l) };
  }
  onExit(_l: (e: WorkerExit) => void) {
    return { dispose: () => undefined };
  }
  emit(m: FromCameraWorker) {
    for (const l of [...this.msg]) l(m);
  }
  async stop(): Promise<WorkerExit> {
    this.exited = true;
    return { code: 0, signal: null, crashed: false };
  }
  kill() {
    this.exited = true;
  }
}

const mask = PrivacyMaskSchema.parse({ id: 'm', points: [[0, 0], [0.5, 0], [0.5, 0.5]] });
const cam = (masks?: CameraRuntimeConfig['masks']): CameraRuntimeConfig => ({ id: 'a', name: 'a', source: '/x.mp4', rtspTransport: 'tcp', analysisFps: 5, enabled: true, ...(masks ? { masks } : {}) });

describe('CameraSupervisor and privacy masks', () => {
  it('starts a worker with its masks and hands mask changes to the running worker without restarting it', async () => {
    const workers: RecordingWorker[] = [];
    const starter: WorkerStarter = { start: () => (workers.push(new RecordingWorker()), workers.at(-1)!) };
    const sup = new CameraSupervisor({ starter });
    sup.apply([cam([mask])]);
    await new Promise((r) => setTimeout(r, 0));
    workers[0]!.emit({ type: 'ready' });
    expect(workers[0]!.sent[0]).toMatchObject({ type: 'start', config: { masks: [mask] } });
    sup.apply([cam([])]); // lifted
    sup.apply([cam([])]); // unchanged: nothing sent
    sup.apply([cam([mask])]); // restored
    expect(workers).toHaveLength(1);
    expect(workers[0]!.exited).toBe(false);
    expect(workers[0]!.sent.slice(1)).toEqual([{ type: 'masks', masks: [] }, { type: 'masks', masks: [mask] }]);
    await sup.dispose();
  });
});
