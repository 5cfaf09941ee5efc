import { describe, expect, it } from 'vitest';
import type { LiveFrame } from '../../../shared/domain/detection';
import { hudStats } from './camera-tile';

const frame: LiveFrame = { cameraId: 'c1', seq: 1, pts: 0, capturedAt: 0, width: 640, height: 360, detections: [], stats: { analysisFps: 4, droppedFrames: 0 }, inferenceMs: 18, jpeg: new Uint8Array() };

describe('live tile figures (HUD)', () => {
  it('say "reduced to N fps (load)" while the camera analyses at a reduced rate, and nothing of it otherwise', () => {
    expect(hudStats({ ...frame, reducedFps: 4, gated: 'load' })).toMatch(/ · reduced to 4 fps \(load\)$/);
    expect(hudStats({ ...frame, reducedFps: 5.6 })).toContain('reduced to 5.6 fps (load)');
    expect(hudStats(frame)).not.toContain('reduced');
  });
});
