import { afterEach, describe, expect, it } from 'vitest';
import { AlarmViewSchema } from '../../shared/domain/alarms';
import { nullLogger } from '../logging/logger';
import { openDatabase, type Db } from '../storage/database';
import { migrations } from '../storage/migrations';
import { tempDirs } from '../../../test/support/temp-dirs';
import { AlarmStore } from './alarm-store';
import { testAlarmsService } from '../services/alarms-service.test-support';

const dbs: Db[] = [];
const tmp = tempDirs('wr-starved-');
afterEach(() => {
  for (const d of dbs.splice(0)) if (d.open) d.close();
});

describe('analysis-starved system alarm (migration 19)', () => {
  it('opens without a camera, with the starved cameras, and is found by its subject', () => {
    const db = openDatabase({ dataDir: tmp(), logger: nullLogger });
    dbs.push(db);
    expect(migrations.some((m) => m.version === 19)).toBe(true);
    const store = new AlarmStore(db, () => Date.UTC(2026, 0, 1));
    const { alarm } = store.open({ kind: 'system', detail: { condition: 'analysis-starved', cameras: [{ id: 'c1', name: 'Gate' }] }, priority: 2 }, 'system');
    expect(AlarmViewSchema.parse(alarm)).toEqual(alarm);
    expect(alarm).toMatchObject({ kind: 'system', cameraId: null, subject: 'analysis', condition: 'analysis-starved', type: 'system.analysis-starved' });
    expect(store.openSystemAlarm('analysis', 'analysis-starved')?.id).toBe(alarm.id);
    // the older conditions still open (the CHECK was widened, not replaced)
    expect(() => store.open({ kind: 'system', detail: { condition: 'external-alarm', source: 'panel', eventId: 'e1', text: 'Fire', cameraId: null }, priority: 2 }, 'system')).not.toThrow();
  });

  it('AlarmsService: one open alarm while cameras are starved, updated with the list, recovered when none is', () => {
    const db = openDatabase({ dataDir: tmp(), logger: nullLogger });
    dbs.push(db);
    const alarms = testAlarmsService(db);
    alarms.onAnalysisStarved([{ id: 'c1', name: 'Gate' }]);
    const open = alarms.store.openSystemAlarm('analysis', 'analysis-starved')!;
    expect(open).toMatchObject({ kind: 'system', priority: 2, detail: { condition: 'analysis-starved', cameras: [{ id: 'c1', name: 'Gate' }] } });
    alarms.onAnalysisStarved([{ id: 'c1', name: 'Gate' }, { id: 'c2', name: 'Yard' }]);
    const again = alarms.store.openSystemAlarm('analysis', 'analysis-starved')!;
    expect(again.id).toBe(open.id);
    expect(again).toMatchObject({ triggerCount: 2, detail: { cameras: [{ name: 'Gate' }, { name: 'Yard' }] } });
    alarms.onAnalysisStarved([]);
    expect(alarms.store.openSystemAlarm('analysis', 'analysis-starved')!.recoveredMs).not.toBeNull();
  });
});
