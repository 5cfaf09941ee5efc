import { t } from '../i18n/en';
import { gridColumns, selectCameras, selectCamerasLoaded } from '../store/cameras/cameras.selectors';
import { useActions, useRoot } from '../store/store';
import { selectOverlays, selectSelectedCamera } from '../store/ui/ui.selectors';
import { RulesEditorPage } from '../rules/rules-editor-page';
import { selectRulesEditorCamera } from '../store/rules/rules.selectors';
import { CameraTile } from './camera-tile';
import { selectLayoutBody, selectMissingCameras } from '../store/layouts/layouts.selectors';
import { CameraPalette, LayoutView } from './layout-view';
import { LayoutToolbar } from './layout-toolbar';

/**
 * The live view: the user's layout (presets 1, 2x2, 3x3, 4x4 or custom spans, cameras dragged into tiles,
 * double-click or Enter for one camera full-window), or, before any layout is chosen, an automatic grid by camera
 * count where clicking a tile focuses it alone.
 */
export function LivePage() {
  const cameras = useRoot(selectCameras);
  const loaded = useRoot(selectCamerasLoaded);
  const selected = useRoot(selectSelectedCamera);
  const overlays = useRoot(selectOverlays);
  const { selectCamera, toggleOverlay, navigate, editCamera } = useActions();
  const rulesCameraId = useRoot(selectRulesEditorCamera);
  const layout = useRoot(selectLayoutBody);
  const missingSaved = useRoot(selectMissingCameras);
  // Cameras the layout names that are gone: as restored, or removed while it is on screen.
  const missing = loaded && layout ? [...new Set(layout.tiles.map((x) => x.cameraId).filter((x): x is string => x !== null && !cameras.some((c) => c.id === x)))] : missingSaved;
  const focused = selected ? cameras.find((c) => c.id === selected) : undefined;
  const editing = rulesCameraId ? cameras.find((c) => c.id === rulesCameraId) : undefined;
  if (editing) return <RulesEditorPage key={editing.id} camera={editing} />;
  const shown = focused ? [focused] : cameras;
  const cols = gridColumns(shown.length);
  const rows = Math.max(1, Math.ceil(shown.length / cols));
  return (
    <section className="page page--live" aria-labelledby="live-title" data-testid="live-page">
      <div className="toolbar">
        <h1 id="live-title" className="page__title">{t.live.title}</h1>
        <LayoutToolbar />
        <div className="toolbar__group" role="group" aria-label={t.live.overlays}>
          <label className="switch">
            <input type="checkbox" checked={overlays.boxes} onChange={() => toggleOverlay('boxes')} data-testid="toggle-boxes" />
            <span>{t.live.boxes}</span>
          </label>
          <label className="switch">
            <input type="checkbox" checked={overlays.labels} onChange={() => toggleOverlay('labels')} data-testid="toggle-labels" />
            <span>{t.live.labels}</span>
          </label>
          <label className="switch">
            <input type="checkbox" checked={overlays.motion} onChange={() => toggleOverlay('motion')} data-testid="toggle-motion" />
            <span>{t.live.motion}</span>
          </label>
        </div>
      </div>
      {cameras.length > 0 && <CameraPalette cameras={cameras} />}
      {missing.length > 0 && (
        <p className="banner banner--warn" role="status" data-testid="layout-missing">
          {t.layouts.missing(missing.join(', '))}
        </p>
      )}
      {loaded && cameras.length === 0 && !layout ? (
        <div className="empty" data-testid="live-empty">
          <p className="empty__title">{t.live.empty}</p>
          <p>{t.live.emptyHint}</p>
          <button
            className="btn btn--primary"
            onClick={() => {
              editCamera('new');
              navigate('cameras');
            }}
          >
            {t.live.addCamera}
          </button>
        </div>
      ) : layout && !focused ? (
        <LayoutView body={layout} cameras={cameras} />
      ) : (
        <div className="grid" data-testid="live-grid" data-columns={cols} style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, gridTemplateRows: shown.length > 16 ? undefined : `repeat(${rows}, minmax(0, 1fr))` }}>
          {shown.map((c) => (
            <CameraTile key={c.id} camera={c} focused={focused?.id === c.id} onToggleFocus={() => selectCamera(focused?.id === c.id ? null : c.id)} />
          ))}
        </div>
      )}
    </section>
  );
}
