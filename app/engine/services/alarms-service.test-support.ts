import { nullLogger } from '../logging/logger';
import type { Db } from '../storage/database';
import { SettingsRepository } from '../storage/settings.repository';
import { AlarmsService, type AlarmsServiceOptions } from './alarms.service';

/**
 * An AlarmsService on `db` for tests: no rules, every camera exists, no snapshots, changes and arming ignored,
 * unless `overrides` says otherwise (typically `now` and `onChange`).
 */
export function testAlarmsService(db: Db, overrides: Partial<AlarmsServiceOptions> = {}): AlarmsService {
  return new AlarmsService({
    db,
    settings: new SettingsRepository(db),
    logger: nullLogger,
    rulesOf: () => [],
    cameraExists: () => true,
    snapshots: null,
    onChange: () => undefined,
    onArming: () => undefined,
    ...overrides,
  });
}
