import type { RootState } from '../root-state';

export const selectSite = (s: RootState) => s.site;
