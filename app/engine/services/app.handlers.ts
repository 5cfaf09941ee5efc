import os from 'node:os';
import type { appInvoke } from '../../shared/ipc/app.contract';
import type { AreaHandlers } from '../../shared/ipc/contracts';

/** The host and build the engine runs in (app:info answers without any service, even before start). */
export interface AppFacts {
  hostKind: 'electron' | 'headless';
  version: string;
  dataDir: string;
}

export function appHandlers(facts: AppFacts): AreaHandlers<typeof appInvoke> {
  return {
    'app:info': () => ({ host: facts.hostKind, version: facts.version, dataDir: facts.dataDir, platform: `${os.platform()}-${os.arch()}` }),
  };
}
