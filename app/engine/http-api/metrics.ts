import { LATENCY_BUCKETS_S, type HealthReport } from '../../shared/domain/health';
import type { Histogram } from './frame-latency';

/** What /metrics reports, gathered by the host at each scrape. */
export interface MetricsSnapshot {
  health: HealthReport;
  /** Alarms per kind and status (all time: closed ones too). */
  alarms: Array<{ kind: string; status: string; count: number }>;
  /** Export sinks with their outbox backlog. */
  sinks: Array<{ id: string; name: string; backlog: number; deadLetters: number; dropped: number }>;
  outbox: { rows: number; undelivered: number; cap: number };
  /** This host process. */
  process: { cpuSecondsTotal: number; residentBytes: number; heapUsedBytes: number; startTimeSeconds: number };
  /** Per-camera latency histograms from every analysed frame (FrameLatency). */
  latency: { inference: Map<string, Histogram>; delay: Map<string, Histogram> };
}

/** Label values escaped as the text format wants (backslash, double quote, newline). */
const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>): string => {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

class Writer {
  private readonly lines: string[] = [];
  family(name: string, type: 'gauge' | 'counter', help: string, samples: Array<[Record<string, string>, number]>): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of samples) if (Number.isFinite(v)) this.lines.push(`${name}${labels(l)} ${v}`);
  }
  histogram(name: string, help: string, series: Array<[Record<string, string>, Histogram]>): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
    for (const [l, h] of series) {
      LATENCY_BUCKETS_S.forEach((le, i) => this.lines.push(`${name}_bucket${labels({ ...l, le: String(le) })} ${h.buckets[i]}`));
      this.lines.push(`${name}_bucket${labels({ ...l, le: '+Inf' })} ${h.count}`, `${name}_sum${labels(l)} ${h.sum}`, `${name}_count${labels(l)} ${h.count}`);
    }
  }
  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/**
 * Prometheus text format (0.0.4). Per camera (labels `camera` = id, `name`): analysis fps, dropped frames,
 * reconnects, histograms of decode time (every decoded frame, from the camera worker), inference time and
 * detection delay (every analysed frame), the mean decode and inference latency of the last 100 frames (gauges, as
 * the Health page shows them), last-frame age and the health level; per worker process CPU and resident memory; alarms by kind and status; outbox backlog per sink; and this
 * host process's CPU and memory.
 */
export function prometheusText(m: MetricsSnapshot): string {
  const w = new Writer();
  const cams = m.health.components.filter((c) => c.kind === 'camera');
  const cam = (c: (typeof cams)[number]) => ({ camera: c.id.replace(/^camera:/, ''), name: c.name });
  const per = (pick: (x: (typeof cams)[number]['metrics']) => number | null | undefined) =>
    cams.flatMap((c): Array<[Record<string, string>, number]> => {
      const v = pick(c.metrics);
      return typeof v === 'number' ? [[cam(c), v]] : [];
    });
  const LEVEL = { healthy: 0, degraded: 1, unhealthy: 2 } as const;
  // fps, drops and reconnects are 0 until the camera reports any; latencies only once measured.
  w.family('watchroom_camera_fps', 'gauge', 'Analysed frames per second.', per((x) => x.fps ?? 0));
  w.family('watchroom_camera_dropped_frames_total', 'counter', 'Frames dropped before analysis.', per((x) => x.droppedFrames ?? 0));
  w.family('watchroom_camera_reconnects_total', 'counter', 'Reconnects of the camera source.', per((x) => x.reconnects ?? 0));
  w.family('watchroom_camera_decode_latency_ms', 'gauge', 'Mean ffmpeg decode time per frame over the last 100 frames, ms.', per((x) => x.decodeLatencyMs));
  w.family('watchroom_camera_inference_latency_ms', 'gauge', 'Mean inference time per frame, ms.', per((x) => x.inferenceMs));
  const names = new Map(cams.map((c) => [c.id.replace(/^camera:/, ''), c.name]));
  const hist = (m: Map<string, Histogram>) => [...m].map(([id, h]): [Record<string, string>, Histogram] => [{ camera: id, name: names.get(id) ?? id }, h]);
  w.histogram('watchroom_camera_inference_seconds', 'Inference time per analysed frame, seconds.', hist(m.latency.inference));
  w.histogram('watchroom_camera_decode_seconds', 'ffmpeg wall-clock decode time per decoded frame since the camera worker started, seconds.', cams.flatMap((c): Array<[Record<string, string>, Histogram]> => (c.metrics.decodeHistogram ? [[cam(c), c.metrics.decodeHistogram]] : [])));
  w.histogram('watchroom_camera_detection_delay_seconds', 'From the frame leaving the decoder to its detections being ready (queueing and inference), seconds.', hist(m.latency.delay));
  w.family('watchroom_camera_last_frame_age_ms', 'gauge', 'Age of the newest frame, ms.', per((x) => x.lastFrameAgeMs));
  w.family('watchroom_component_health', 'gauge', 'Health per component: 0 healthy, 1 degraded, 2 unhealthy.', m.health.components.map((c) => [{ component: c.id, kind: c.kind }, LEVEL[c.level]]));
  const procs = m.health.components.filter((c) => c.kind === 'worker' || c.kind === 'inference' || c.kind === 'host');
  w.family('watchroom_worker_cpu_percent', 'gauge', 'CPU use per process, percent of one core.', procs.flatMap((c) => (c.metrics.cpuPercent !== undefined ? [[{ component: c.id }, c.metrics.cpuPercent] as [Record<string, string>, number]] : [])));
  w.family('watchroom_worker_resident_memory_bytes', 'gauge', 'Resident memory per process.', procs.flatMap((c) => (c.metrics.rssBytes !== undefined ? [[{ component: c.id }, c.metrics.rssBytes] as [Record<string, string>, number]] : [])));
  w.family('watchroom_alarms', 'gauge', 'Alarms by kind and status.', m.alarms.map((a) => [{ kind: a.kind, status: a.status }, a.count]));
  w.family('watchroom_export_backlog', 'gauge', 'Outbox rows a sink has not read yet.', m.sinks.map((s) => [{ sink: s.id, name: s.name }, s.backlog]));
  w.family('watchroom_export_dead_letters', 'gauge', 'Events in dead letter per sink.', m.sinks.map((s) => [{ sink: s.id, name: s.name }, s.deadLetters]));
  w.family('watchroom_export_dropped_total', 'counter', 'Events dropped at the outbox cap before the sink had them.', m.sinks.map((s) => [{ sink: s.id, name: s.name }, s.dropped]));
  w.family('watchroom_outbox_rows', 'gauge', 'Rows held in the export outbox.', [[{}, m.outbox.rows]]);
  w.family('watchroom_outbox_undelivered', 'gauge', 'Outbox rows some sink has not passed yet.', [[{}, m.outbox.undelivered]]);
  w.family('watchroom_outbox_cap', 'gauge', 'Most rows the outbox holds.', [[{}, m.outbox.cap]]);
  w.family('process_cpu_seconds_total', 'counter', 'CPU time of the host process, seconds.', [[{}, m.process.cpuSecondsTotal]]);
  w.family('process_resident_memory_bytes', 'gauge', 'Resident memory of the host process.', [[{}, m.process.residentBytes]]);
  w.family('process_heap_used_bytes', 'gauge', 'V8 heap in use in the host process.', [[{}, m.process.heapUsedBytes]]);
  w.family('process_start_time_seconds', 'gauge', 'Start of the host process, seconds since the epoch.', [[{}, m.process.startTimeSeconds]]);
  return w.text();
}
