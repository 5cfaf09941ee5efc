import type { FrameHeader } from '../../shared/domain/detection';
import { LATENCY_BUCKETS_S } from '../../shared/domain/health';


/** One histogram: cumulative counts per bucket (plus +Inf = count), sum in seconds. */
export interface Histogram {
  buckets: number[];
  count: number;
  sum: number;
}

const empty = (): Histogram => ({ buckets: LATENCY_BUCKETS_S.map(() => 0), count: 0, sum: 0 });
function observe(h: Histogram, seconds: number): void {
  if (!Number.isFinite(seconds) || seconds < 0) return;
  h.count++;
  h.sum += seconds;
  for (let i = 0; i < LATENCY_BUCKETS_S.length; i++) if (seconds <= LATENCY_BUCKETS_S[i]!) h.buckets[i]!++;
}

/**
 * Per-camera latency distributions from every analysed frame the engine receives (for /metrics): inference time
 * (`inferenceMs` of the frame) and detection delay (detections ready minus the frame leaving the decoder, i.e.
 * queueing + inference). Counters since the engine started, as Prometheus histograms expect. Decode time is
 * measured inside the camera worker (decode-timing.ts) and reaches /metrics through the health report.
 */
export class FrameLatency {
  private readonly inference = new Map<string, Histogram>();
  private readonly delay = new Map<string, Histogram>();

  observe(f: Pick<FrameHeader, 'cameraId' | 'inferenceMs' | 'capturedAt' | 'detectedAt'>): void {
    if (f.inferenceMs !== undefined) {
      let h = this.inference.get(f.cameraId);
      if (!h) this.inference.set(f.cameraId, (h = empty()));
      observe(h, f.inferenceMs / 1000);
    }
    if (f.detectedAt !== undefined) {
      let h = this.delay.get(f.cameraId);
      if (!h) this.delay.set(f.cameraId, (h = empty()));
      observe(h, (f.detectedAt - f.capturedAt) / 1000);
    }
  }

  forget(cameraId: string): void {
    this.inference.delete(cameraId);
    this.delay.delete(cameraId);
  }

  snapshot(): { inference: Map<string, Histogram>; delay: Map<string, Histogram> } {
    const copy = (m: Map<string, Histogram>) => new Map([...m].map(([k, h]) => [k, { buckets: [...h.buckets], count: h.count, sum: h.sum }]));
    return { inference: copy(this.inference), delay: copy(this.delay) };
  }
}
