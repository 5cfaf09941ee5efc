import type { ComponentHealth, HealthReport } from '../../../../shared/domain/health';
import type { RootState } from '../root-state';

export const selectHealthReport = (s: RootState): HealthReport | null => s.health.report;
export const selectHealthError = (s: RootState): string | null => s.health.error;

const kindOrder: Record<ComponentHealth['kind'], number> = { host: 0, database: 1, model: 2, inference: 3, camera: 4, worker: 5, exporter: 6 };
/** Components sorted for the table: worst first, then by kind and name. */
export function sortComponents(components: ComponentHealth[]): ComponentHealth[] {
  const lv = { unhealthy: 0, degraded: 1, healthy: 2 } as const;
  return [...components].sort((a, b) => lv[a.level] - lv[b.level] || kindOrder[a.kind] - kindOrder[b.kind] || a.name.localeCompare(b.name));
}
export const bytesToMb = (b: number | undefined): string => (b === undefined ? '—' : (b / (1024 * 1024)).toFixed(0));
