import { describe, expect, it } from 'vitest';
import { soakStep, soakSummary, type SoakSample } from './bench-scale';

const sample = (minute: number, rss: number, cpu: number): SoakSample => ({
  minute,
  at: minute * 60_000,
  cpuS: { decoder: cpu, cameraWorker: cpu, inference: cpu, host: cpu },
  rssMB: { decoder: 100, cameraWorker: rss, inference: 200, host: 150 },
  privateMB: { decoder: 60, cameraWorker: rss - 40, inference: 150, host: 100 },
});

describe('soak summary', () => {
  it('judges growth from the 10th minute of an hour, not from the warm-up', () => {
    // camera workers grow fast over the first minutes, then hold; one sample a minute for 60 minutes
    const samples = Array.from({ length: 61 }, (_, m) => sample(m, m < 10 ? 200 + 10 * m : 300, m * 30));
    const s = soakSummary(samples, 60);
    expect(s.fromMinute).toBe(10);
    expect(s.kinds.cameraWorker).toMatchObject({ rssFromMB: 300, rssEndMB: 300, growthPercent: 0, privateFromMB: 260, privateEndMB: 260, slopeMBPerHour: 0 });
    expect(s.kinds.decoder.cores).toBeCloseTo(0.5);
  });

  it('shows a process still growing after warm-up', () => {
    const samples = Array.from({ length: 61 }, (_, m) => sample(m, 300 + m * 0.5, 0));
    const s = soakSummary(samples, 60);
    // each end is the median of three samples: minutes 9-11 (305 MB) and 58-60 (329.5 MB)
    expect(s.kinds.cameraWorker.growthPercent).toBeCloseTo((24.5 / 305) * 100);
    expect(s.kinds.cameraWorker.slopeMBPerHour).toBeCloseTo(30);
    expect(s.kinds.inference.growthPercent).toBe(0);
  });

  it('scales the mark and the sampling to a short soak', () => {
    expect(soakStep(60)).toBe(60);
    expect(soakStep(2)).toBe(10);
    expect(soakSummary([sample(0, 1, 0), sample(1, 1, 0), sample(2, 1, 0)], 3).fromMinute).toBe(1);
  });
});
