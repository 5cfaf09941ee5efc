import { describe, expect, it } from 'vitest';
import { alarmsInvoke } from '../../shared/ipc/alarms.contract';
import { appInvoke } from '../../shared/ipc/app.contract';
import { auditInvoke } from '../../shared/ipc/audit.contract';
import { authInvoke } from '../../shared/ipc/auth.contract';
import { camerasInvoke } from '../../shared/ipc/cameras.contract';
import { invokeContract, type AreaHandlers } from '../../shared/ipc/contracts';
import { eventsInvoke } from '../../shared/ipc/events.contract';
import { exportInvoke } from '../../shared/ipc/export.contract';
import { healthInvoke } from '../../shared/ipc/health.contract';
import { integrationsInvoke } from '../../shared/ipc/integrations.contract';
import { layoutsInvoke } from '../../shared/ipc/layouts.contract';
import { masksInvoke } from '../../shared/ipc/masks.contract';
import { modelsInvoke } from '../../shared/ipc/models.contract';
import { reportsInvoke } from '../../shared/ipc/reports.contract';
import { retentionInvoke } from '../../shared/ipc/retention.contract';
import { rulesInvoke } from '../../shared/ipc/rules.contract';
import { PERMISSIONS } from '../../shared/auth/permissions';
import { auditHandlers } from '../auth/audit.handlers';
import { authHandlers } from '../auth/auth.handlers';
import { exportHandlers } from '../export/export.handlers';
import { integrationsHandlers } from '../integrations/integrations.handlers';
import { masksHandlers } from '../privacy/masks.handlers';
import { reportsHandlers } from '../reports/reports.handlers';
import { retentionHandlers } from '../retention/retention.handlers';
import { alarmsHandlers } from './alarms.handlers';
import { appHandlers } from './app.handlers';
import { camerasHandlers } from './cameras.handlers';
import { eventsHandlers } from './events.handlers';
import { healthHandlers } from './health.handlers';
import { layoutsHandlers } from './layouts.handlers';
import { modelsHandlers } from './models.handlers';
import { rulesHandlers } from './rules.handlers';
import { evidenceHandlers } from '../evidence/evidence.handlers';
import { downloadsHandlers } from '../downloads/downloads.handlers';
import { evidenceInvoke } from '../../shared/ipc/evidence.contract';
import { downloadsInvoke } from '../../shared/ipc/downloads.contract';
import { recordingsInvoke } from '../../shared/ipc/recordings.contract';
import { recordingsHandlers } from '../recording/recordings.handlers';
import { facesInvoke } from '../../shared/ipc/faces.contract';
import { facesHandlers } from '../faces/faces.handlers';

// Building a map only closes over the services; no handler runs here, so the services can be stand-ins.
const none = {} as never;
const areas: [string, object, object][] = [
  ['app', appInvoke, appHandlers({ hostKind: 'headless', version: '0', dataDir: '/tmp' })],
  ['cameras', camerasInvoke, camerasHandlers({ cameras: none, cameraRemoved: none, camerasChanged: () => undefined })],
  ['health', healthInvoke, healthHandlers(none)],
  ['models', modelsInvoke, modelsHandlers(none, none, none)],
  ['rules', rulesInvoke, rulesHandlers(none)],
  ['events', eventsInvoke, eventsHandlers(none)],
  ['masks', masksInvoke, masksHandlers(none)],
  ['retention', retentionInvoke, retentionHandlers(none)],
  ['reports', reportsInvoke, reportsHandlers(none)],
  ['alarms', alarmsInvoke, alarmsHandlers(none)],
  ['layouts', layoutsInvoke, layoutsHandlers(none)],
  ['export', exportInvoke, exportHandlers(none)],
  ['auth', authInvoke, authHandlers(none)],
  ['audit', auditInvoke, auditHandlers(none)],
  ['integrations', integrationsInvoke, integrationsHandlers(none)],
  ['evidence', evidenceInvoke, evidenceHandlers(none)],
  ['downloads', downloadsInvoke, downloadsHandlers(none)],
  ['recordings', recordingsInvoke, recordingsHandlers(none)],
  ['faces', facesInvoke, facesHandlers(none)],
];

describe('a handler map per contract area', () => {
  it.each(areas)('%s: its handlers file implements exactly the channels of its contract', (_area, contract, handlers) => {
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(contract).sort());
  });

  it('together the areas cover every channel once, and every channel has a permission row', () => {
    const all = areas.flatMap(([, , handlers]) => Object.keys(handlers));
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(Object.keys(invokeContract).sort());
    expect(Object.keys(PERMISSIONS).sort()).toEqual(Object.keys(invokeContract).sort());
  });

  it('the type refuses a map with a channel missing or one of another area', () => {
    // @ts-expect-error 'health:get' has no handler
    const missing: AreaHandlers<typeof healthInvoke> = {};
    const extra: AreaHandlers<typeof healthInvoke> = {
      'health:get': () => ({ components: [], at: 0 }) as never,
      // @ts-expect-error 'models:list' belongs to the models area
      'models:list': () => [],
    };
    expect([missing, extra]).toHaveLength(2);
  });
});
