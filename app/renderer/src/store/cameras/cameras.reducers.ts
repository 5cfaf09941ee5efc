import type { CameraState, CameraView } from '../../../../shared/domain/camera';
import type { CamerasState, OpError, OpKey, PendingOp } from './cameras.state';

/** Pure state transitions of the cameras slice (unit-tested; actions only call these). */
export function listReceived(s: CamerasState, list: CameraView[]): CamerasState {
  const statesById: Record<string, CameraState> = {};
  for (const c of list) statesById[c.id] = c.state;
  return { ...s, list, statesById, loaded: true, loadError: null };
}

export function listFailed(s: CamerasState, message: string): CamerasState {
  return { ...s, loadError: message };
}

export function stateChanged(s: CamerasState, id: string, state: CameraState): CamerasState {
  const idx = s.list.findIndex((c) => c.id === id);
  const list = idx < 0 ? s.list : s.list.map((c, i) => (i === idx ? { ...c, state } : c));
  return { ...s, list, statesById: { ...s.statesById, [id]: state } };
}

/** Inserts or replaces one camera (the answer of add/update/set-enabled). */
export function cameraUpserted(s: CamerasState, view: CameraView): CamerasState {
  const idx = s.list.findIndex((c) => c.id === view.id);
  const list = idx < 0 ? [...s.list, view] : s.list.map((c, i) => (i === idx ? view : c));
  return { ...s, list, statesById: { ...s.statesById, [view.id]: view.state } };
}

export function cameraRemoved(s: CamerasState, id: string): CamerasState {
  const { [id]: _gone, ...statesById } = s.statesById;
  return { ...s, list: s.list.filter((c) => c.id !== id), statesById };
}

export function opStarted(s: CamerasState, key: OpKey, op: PendingOp): CamerasState {
  const { [key]: _e, ...errors } = s.errors;
  return { ...s, pending: { ...s.pending, [key]: op }, errors };
}

export function opFinished(s: CamerasState, key: OpKey, error: OpError | null): CamerasState {
  const { [key]: _p, ...pending } = s.pending;
  const { [key]: _e, ...errors } = s.errors;
  return { ...s, pending, errors: error ? { ...errors, [key]: error } : errors };
}

export function errorCleared(s: CamerasState, key: OpKey): CamerasState {
  if (!(key in s.errors)) return s;
  const { [key]: _e, ...errors } = s.errors;
  return { ...s, errors };
}

/**
 * Turns a host error into form errors. Understands zod issue arrays in `details` (`[{path, message}]`, also
 * nested under `issues`) and the `{ fieldErrors }` shape of zod's flatten().
 */
export function toOpError(code: string, message: string, details: unknown): OpError {
  const fields: Record<string, string> = {};
  const issues = Array.isArray(details) ? details : details && typeof details === 'object' && Array.isArray((details as { issues?: unknown }).issues) ? (details as { issues: unknown[] }).issues : null;
  if (issues) {
    for (const i of issues) {
      if (!i || typeof i !== 'object') continue;
      const path = (i as { path?: unknown }).path;
      const msg = (i as { message?: unknown }).message;
      if (typeof msg !== 'string') continue;
      const parts = Array.isArray(path) ? path.map(String) : [];
      // `patch.source` (update) and `source` (add) both point at the source field.
      const field = parts.filter((p) => p !== 'patch')[0];
      if (field && !(field in fields)) fields[field] = msg;
    }
  } else if (details && typeof details === 'object' && 'fieldErrors' in details) {
    const fe = (details as { fieldErrors: Record<string, unknown> }).fieldErrors ?? {};
    for (const [k, v] of Object.entries(fe)) if (Array.isArray(v) && typeof v[0] === 'string') fields[k] = v[0];
  } else if (details && typeof details === 'object' && typeof (details as { field?: unknown }).field === 'string') {
    fields[(details as { field: string }).field] = message;
  }
  return { code, message, fields };
}
