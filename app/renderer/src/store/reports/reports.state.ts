import type { ExportProgress, OccurrenceEntry, ReportFolders, ReportModel, ReportRequest, ReportSchedule, ShiftSignoff } from '../../../../shared/domain/reports';

/** A shift of the occurrence book (the one running now, or an earlier one), with its entries and sign-off. */
export interface ShiftView {
  from: number;
  to: number;
  label: string;
  /** Site time zone: entry times are shown in it. */
  timeZone: string;
  signoff: ShiftSignoff | null;
  entries: OccurrenceEntry[];
}

export interface ReportsState {
  /** What the dashboard shows (the last request). */
  request: ReportRequest;
  model: ReportModel | null;
  loading: boolean;
  error: string | null;
  /** Exports started from this window, newest last (progress from reports:progress pushes). */
  exports: ExportProgress[];
  exportError: string | null;
  shift: ShiftView | null;
  /** Which shift the book shows: a moment inside an earlier shift, or null for the shift running now. */
  shiftAt: number | null;
  shiftError: string | null;
  /** An entry or sign-off call is in flight. */
  shiftBusy: boolean;
  schedules: ReportSchedule[];
  schedulesError: string | null;
  /** Where reports may be written (reports:folders); null until loaded. */
  folders: ReportFolders | null;
  /** The folder exports go to (one of `folders`); null = the default folder. */
  exportFolder: string | null;
  foldersError: string | null;
}

export const initialReportsState: ReportsState = {
  request: { type: 'daily' },
  model: null,
  loading: false,
  error: null,
  exports: [],
  exportError: null,
  shift: null,
  shiftAt: null,
  shiftError: null,
  shiftBusy: false,
  schedules: [],
  schedulesError: null,
  folders: null,
  exportFolder: null,
  foldersError: null,
};
