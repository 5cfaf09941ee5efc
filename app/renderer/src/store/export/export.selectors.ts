import type { RootState } from '../root-state';
import type { ExportState } from './export.state';

export const selectExport = (s: RootState): ExportState => s.export;
