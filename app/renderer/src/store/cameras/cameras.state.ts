import type { CameraState, CameraView } from '../../../../shared/domain/camera';

/** Key of an operation: a camera id, or `new` for the add form. */
export type OpKey = string;
export const NEW_CAMERA: OpKey = 'new';

/** An operation in flight on one camera (or on the add form). */
export type PendingOp = 'add' | 'update' | 'remove' | 'set-enabled';

/** A failed operation, shaped for the form: a general message plus messages per field. */
export interface OpError {
  /** Envelope code (invalid-input, conflict, …) or transport code. */
  code: string;
  message: string;
  /** Field name (name, source, analysisFps, …) -> message. */
  fields: Record<string, string>;
}

export interface CamerasState {
  /** Cameras in host order; each view's `state` is kept current by cameras:state pushes. */
  list: CameraView[];
  /** Latest lifecycle state per camera id (also for states that arrive before the list). */
  statesById: Record<string, CameraState>;
  /** Whether the first list arrived. */
  loaded: boolean;
  /** Why the list could not be loaded, if so. */
  loadError: string | null;
  pending: Record<OpKey, PendingOp>;
  errors: Record<OpKey, OpError>;
}

export const initialCamerasState: CamerasState = { list: [], statesById: {}, loaded: false, loadError: null, pending: {}, errors: {} };
