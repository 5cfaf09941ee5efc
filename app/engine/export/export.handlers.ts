import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { exportInvoke } from '../../shared/ipc/export.contract';
import type { ExportService } from './export.service';

export function exportHandlers(exporter: ExportService): AreaHandlers<typeof exportInvoke> {
  return {
    'export:list': () => ({ sinks: exporter.list(), outbox: exporter.outbox.status() }),
    'export:save': (input) => exporter.save(input),
    'export:remove': ({ id }) => exporter.remove(id),
    'export:test': ({ id }) => exporter.test(id),
    'export:dead-letters': ({ sinkId, limit }) => exporter.deadLetters(sinkId, limit),
    'export:retry-dead-letters': ({ sinkId, eventIds }) => exporter.retryDeadLetters(sinkId, eventIds),
    'export:replay': ({ sinkId, from }) => exporter.replay(sinkId, from),
  };
}
