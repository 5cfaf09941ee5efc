import { describe, expect, it } from 'vitest';
import type { LiveFrame } from '../shared/domain/detection';
import { IPC_FRAME_PORT } from '../shared/ipc/electron-channels';
import { nullLogger } from '../engine/logging/logger';
import { FakeMessageChannel, FakeWebContents, type FakePort } from './__fakes__/electron';
import { FramePortBridge } from './frame-ports';

describe('FramePortBridge', () => {
  it('hands a port to the window and streams acknowledged frames only', () => {
    const listeners = new Map<string, (f: LiveFrame) => void>();
    const bridge = new FramePortBridge({
      createChannel: () => new FakeMessageChannel() as never,
      subscribeFrames: (id, l) => {
        listeners.set(id, l);
        return () => listeners.delete(id);
      },
      logger: nullLogger,
      maxInFlight: 2,
      mayReceive: () => true,
    });
    const wc = new FakeWebContents();
    bridge.connect(wc as never);
    expect(wc.posted[0]!.channel).toBe(IPC_FRAME_PORT);
    const rendererPort = wc.posted[0]!.transfer[0] as FakePort;
    const mainPort = rendererPort.other!;
    expect(mainPort.started).toBe(true);

    mainPort.receive({ t: 'frames', cameraId: '../bad', on: true });
    expect(listeners.size).toBe(0);
    mainPort.receive({ t: 'frames', cameraId: 'cam1', on: true });
    const frame = (seq: number): LiveFrame => ({ cameraId: 'cam1', seq, pts: seq, capturedAt: seq, width: 1, height: 1, detections: null, jpeg: new Uint8Array(1) });
    for (let i = 0; i < 5; i++) listeners.get('cam1')!(frame(i));
    expect((mainPort.posted as LiveFrame[]).map((f) => f.seq)).toEqual([0, 1]);
    mainPort.receive({ t: 'ack', cameraId: 'cam1' });
    listeners.get('cam1')!(frame(5));
    expect((mainPort.posted as LiveFrame[]).map((f) => f.seq)).toEqual([0, 1, 5]);

    mainPort.receive({ t: 'frames', cameraId: 'cam1', on: false });
    expect(listeners.size).toBe(0);
    mainPort.receive({ t: 'frames', cameraId: 'cam1', on: true });
    wc.destroy();
    expect(listeners.size).toBe(0);
    expect(mainPort.closed).toBe(true);
  });
});
