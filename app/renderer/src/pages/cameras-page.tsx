import { useState } from 'react';
import type { CameraView } from '../../../shared/domain/camera';
import { t } from '../i18n/en';
import { stateBadge, stateMessage, stateTone } from '../live/camera-state-text';
import { useNow } from '../live/tile-hooks';
import { selectModels } from '../store/app/app.selectors';
import { selectCameras, selectCamerasLoadError } from '../store/cameras/cameras.selectors';
import { NEW_CAMERA } from '../store/cameras/cameras.state';
import { useActions, useRoot } from '../store/store';
import { selectEditing } from '../store/ui/ui.selectors';
import { CameraForm } from './camera-form';
import { changedFields } from './camera-form-model';

function StateCell({ camera }: { camera: CameraView }) {
  const st = camera.state;
  const now = useNow(st.type === 'reconnecting' || st.type === 'stalled');
  const msg = stateMessage(st, now);
  return (
    <span className="state-cell">
      <span className={`badge badge--${stateTone(st)}`} data-testid="camera-state" data-state={st.type}>
        {stateBadge(st)}
      </span>
      {msg && st.type !== 'disabled' && st.type !== 'connecting' && <span className="state-cell__detail">{msg}</span>}
    </span>
  );
}

function CameraRow({ camera, editing, onEdit }: { camera: CameraView; editing: boolean; onEdit(): void }) {
  const pending = useRoot((s) => s.cameras.pending[camera.id]);
  const error = useRoot((s) => s.cameras.errors[camera.id]);
  const models = useRoot(selectModels);
  const { removeCamera, setCameraEnabled } = useActions();
  const [confirming, setConfirming] = useState(false);
  const model = camera.modelId ? (models?.find((m) => m.id === camera.modelId)?.name ?? camera.modelId) : t.cameras.siteDefault;
  return (
    <tr data-testid="camera-row" data-camera-id={camera.id} aria-busy={!!pending}>
      <th scope="row">{camera.name}</th>
      <td className="mono wrap">{camera.source}</td>
      <td>
        <StateCell camera={camera} />
        {error && !confirming && !editing && (
          <p className="field__error" role="alert">
            {error.message}
          </p>
        )}
      </td>
      <td className="num">{camera.analysisFps}</td>
      <td>{model}</td>
      <td>
        <div className="row-actions">
        {confirming ? (
          <span className="confirm" role="alertdialog" aria-label={t.cameras.confirmRemove(camera.name)}>
            <span>{t.cameras.confirmRemove(camera.name)}</span>
            <button className="btn btn--danger" data-testid="confirm-remove" disabled={!!pending} onClick={() => void removeCamera(camera.id).then(() => setConfirming(false))}>
              {t.cameras.confirmYes}
            </button>
            <button className="btn" autoFocus onClick={() => setConfirming(false)}>
              {t.cameras.confirmNo}
            </button>
          </span>
        ) : (
          <>
            <label className="switch">
              <input type="checkbox" checked={camera.enabled} disabled={!!pending} data-testid="camera-enabled" onChange={(e) => void setCameraEnabled(camera.id, e.target.checked)} />
              <span>{t.form.enabled}</span>
            </label>
            <button className="btn" onClick={onEdit} disabled={!!pending} data-testid="camera-edit">
              {t.cameras.edit}
            </button>
            <button className="btn btn--danger-outline" onClick={() => setConfirming(true)} disabled={!!pending} data-testid="camera-remove">
              {t.cameras.remove}
            </button>
          </>
        )}
        {pending && <span className="muted">{t.cameras.working}</span>}
        </div>
      </td>
    </tr>
  );
}

/** Camera management: list with state, add/edit form, enable toggle, remove with confirmation. */
export function CamerasPage() {
  const cameras = useRoot(selectCameras);
  const loadError = useRoot(selectCamerasLoadError);
  const editing = useRoot(selectEditing);
  const models = useRoot(selectModels);
  const editKey = editing ?? '';
  const busy = useRoot((s) => !!s.cameras.pending[editKey]);
  const serverError = useRoot((s) => s.cameras.errors[editKey]);
  const { editCamera, addCamera, updateCamera, clearCameraError } = useActions();
  const editingCamera = editing && editing !== NEW_CAMERA ? (cameras.find((c) => c.id === editing) ?? null) : null;
  const close = () => {
    if (editing) clearCameraError(editing);
    editCamera(null);
  };
  return (
    <section className="page" aria-labelledby="cameras-title" data-testid="cameras-page">
      <div className="toolbar">
        <h1 id="cameras-title" className="page__title">{t.cameras.title}</h1>
        <button className="btn btn--primary" onClick={() => { clearCameraError(NEW_CAMERA); editCamera(NEW_CAMERA); }} disabled={editing === NEW_CAMERA} data-testid="camera-add">
          {t.cameras.add}
        </button>
      </div>
      {loadError && <p className="banner banner--bad" role="alert">{t.errors.loadFailed(t.cameras.title.toLowerCase(), loadError)}</p>}
      {editing && (editing === NEW_CAMERA || editingCamera) && (
        <CameraForm
          key={editing}
          camera={editingCamera}
          models={models}
          busy={busy}
          serverError={serverError}
          onCancel={close}
          onSubmit={(input) => {
            const done = editingCamera ? updateCamera(editingCamera.id, changedFields(editingCamera, input)) : addCamera(input);
            void done.then((v) => {
              if (v) editCamera(null);
            });
          }}
        />
      )}
      {cameras.length === 0 ? (
        <p className="empty" data-testid="cameras-empty">{t.cameras.empty}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="cameras-table">
            <thead>
              <tr>
                <th scope="col">{t.cameras.colName}</th>
                <th scope="col">{t.cameras.colSource}</th>
                <th scope="col">{t.cameras.colState}</th>
                <th scope="col" className="num">{t.cameras.colFps}</th>
                <th scope="col">{t.cameras.colModel}</th>
                <th scope="col">{t.cameras.colActions}</th>
              </tr>
            </thead>
            <tbody>
              {cameras.map((c) => (
                <CameraRow key={c.id} camera={c} editing={editing === c.id} onEdit={() => { clearCameraError(c.id); editCamera(c.id); }} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
