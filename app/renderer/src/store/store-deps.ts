import type { StoreApi } from 'zustand/vanilla';
import type { HostApi } from '../api/select-api';
import type { RootState } from './root-state';

/** What every slice's actions get: the API, the store's setter/getter and the clock. */
export interface StoreDeps {
  api: HostApi;
  set: StoreApi<RootState>['setState'];
  get: StoreApi<RootState>['getState'];
  now: () => number;
}
