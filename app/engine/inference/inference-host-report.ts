import type { ComponentHealth } from '../../shared/domain/health';
import type { ModelManifest } from '../../shared/domain/model';
import type { InferenceHostState } from './inference-host';
import type { InferenceWorkerStats } from './inference-worker-protocol';

/** A model converted at install from the npm package (CenterNet): it runs only until a better one is installed. */
export function isFallbackModel(m: ModelManifest): boolean {
  return m.decoder === 'centernet';
}

/** models:status message while a model runs: which one, its licence and source, the fallback hint, any problem. */
export function runningMessage(model: ModelManifest, executionProvider: string, problem: string | null, lastError: string | null): string {
  const parts = [`Detection is on: ${model.name} on ${executionProvider.toUpperCase()}. Licence: ${model.licence}.`];
  if (model.provenance) parts.push(`Source: ${model.provenance.replace(/\.?\s*$/, '.')}`);
  if (isFallbackModel(model)) {
    parts.push('This is the fallback detector that comes with the app; it finds fewer people. To use a better one, an admin imports a model file (for example YOLOX-Nano) on the Models page.');
  }
  if (problem) parts.push(problem);
  if (lastError) parts.push(lastError);
  return parts.join(' ');
}

/** Health rows: the inference worker (provider, CPU, RSS, restarts) and one per camera it serves (dropped, ms). */
export function inferenceHealth(o: {
  state: InferenceHostState;
  stats: InferenceWorkerStats | null;
  pid: number | undefined;
  restarts: number;
  problem: string | null;
  cameraName: (id: string) => string;
  /** Models loaded beside the primary for cameras that asked for them. */
  extras?: { name: string; executionProvider: string }[];
}): ComponentHealth[] {
  const s = o.state;
  if (s.type === 'disposed') return [];
  const st = o.stats;
  const cams = Object.entries(st?.cameras ?? {});
  const total = cams.reduce((a, [, c]) => ({ processed: a.processed + c.processed, dropped: a.dropped + c.dropped, ms: a.ms + c.avgInferenceMs * c.processed }), { processed: 0, dropped: 0, ms: 0 });
  const base = { id: 'worker:inference', kind: 'inference' as const, name: 'Detection (inference worker)' };
  const metrics = {
    restarts: o.restarts,
    ...(o.pid ? { pid: o.pid } : {}),
    ...(st ? { cpuPercent: st.cpuPercent, rssBytes: st.rssBytes, droppedFrames: total.dropped } : {}),
    ...(total.processed ? { inferenceMs: round1(total.ms / total.processed) } : {}),
  };
  const out: ComponentHealth[] = [];
  switch (s.type) {
    case 'running':
      out.push({
        ...base,
        level: o.problem ? 'degraded' : 'healthy',
        detail: `${s.model.name} on ${s.executionProvider.toUpperCase()}${o.extras?.length ? `; also ${o.extras.map((e) => `${e.name} on ${e.executionProvider.toUpperCase()}`).join(', ')}` : ''}${o.problem ? ` — ${o.problem}` : ''}`,
        metrics: { ...metrics, executionProvider: s.executionProvider },
      });
      break;
    case 'starting':
      out.push({ ...base, level: 'degraded', detail: `Starting: loading ${s.model.name}`, metrics });
      break;
    case 'restarting':
      out.push({ ...base, level: 'unhealthy', detail: `Stopped (${s.reason}); restart attempt ${s.attempt}`, metrics });
      break;
    case 'off':
      out.push({ ...base, level: 'degraded', detail: s.reason, metrics });
      break;
  }
  if (s.type === 'running') {
    for (const [id, c] of cams) {
      out.push({
        id: `inference:camera:${id}`,
        kind: 'inference',
        name: `Detection (${o.cameraName(id)})`,
        level: c.errors > 0 && c.processed === 0 ? 'degraded' : 'healthy',
        detail: `${c.processed} frames analysed, ${c.dropped} dropped (a newer frame replaced them), ${c.errors} errors`,
        metrics: { droppedFrames: c.dropped, inferenceMs: round1(c.avgInferenceMs), executionProvider: s.executionProvider },
      });
    }
  }
  return out;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
