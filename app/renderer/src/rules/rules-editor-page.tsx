import type Konva from 'konva';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { Circle, Group, Image as KImage, Layer, Line, Stage } from 'react-konva';
import type { CameraView } from '../../../shared/domain/camera';
import type { LiveFrame } from '../../../shared/domain/detection';
import { errorDetails, errorMessage } from '../api/api-error';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { TileFrameScheduler } from '../live/tile-frame-scheduler';
import { fitContain } from '../live/tile-fit';
import { useElementSize } from '../live/tile-hooks';
import { selectCameraCounters, selectCameraRules, selectRulesLoaded, selectRulesLoadError, selectRulesSaving } from '../store/rules/rules.selectors';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { useActions, useRoot } from '../store/store';
import { toFrame, toStage, toStagePoints } from './frame-coords';
import { canRedo, canUndo } from './history';
import { paintRules, ruleColour } from './paint-rules';
import { problemsFromSaveError, validateRules, type RuleProblemView } from './rule-draft';
import { currentRules, editorReducer, initialEditorState, isDirty, selectedRuleId, type EditorEvent, type ToolMode } from './rule-editor.reducer';
import { RuleDryRun } from './rule-dry-run';
import { RuleList, RuleProperties } from './rule-side-panel';
import { hitTest } from './rules-hit-test';
import { useEditorKeys } from './use-editor-keys';
import { readOnlyEvent } from './read-only-editor';
import { usePermission } from '../auth/permission';
import type { Rule } from '../../../shared/domain/rules';
import { selectCameraMasks, selectMasksLoadError } from '../store/privacy/privacy.selectors';
import { asMaskZone, masksToZones, validateMasks, zonesToMasks, type MaskZone } from './mask-draft';
import { MaskList, MaskProperties } from './mask-side-panel';
import { paintMasks } from './paint-masks';

/** Frame size assumed until the first picture arrives (the common 16:9). */
const DEFAULT_DIMS = { w: 1280, h: 720 };
const MODES: { mode: ToolMode; label: string }[] = [
  { mode: 'select', label: t.rules.select },
  { mode: 'line', label: t.rules.line },
  { mode: 'zone', label: t.rules.zone },
];
/** The mask layer reuses the zone tool: masks are closed polygons. */
const MASK_MODES: { mode: ToolMode; label: string }[] = [
  { mode: 'select', label: t.rules.select },
  { mode: 'zone', label: t.privacy.drawMask },
];
type EditLayer = 'rules' | 'masks';

/**
 * Single-camera rule editor: the live picture on the video layer, the rules on a rules layer (same painter as
 * the live tiles) and the editing handles on an interaction layer. All geometry is held in normalised frame
 * coordinates by the editor reducer; pixels exist only here, through the tile's letterbox fit.
 */
export function RulesEditorPage({ camera }: { camera: CameraView }) {
  const { subscribeFrames, ensureRules, saveRules, openRulesEditor, ensureMasks, saveMasks, liftMask, restoreMask } = useActions();
  const savedRules = useRoot(selectCameraRules(camera.id));
  const loaded = useRoot(selectRulesLoaded(camera.id));
  const loadError = useRoot(selectRulesLoadError(camera.id));
  const rulesSaving = useRoot(selectRulesSaving(camera.id));
  const counters = useRoot(selectCameraCounters(camera.id));
  const [ruleState, ruleDispatch] = useReducer(editorReducer, savedRules, initialEditorState);
  // Privacy masks: a second instance of the same editor state machine, holding masks as zones (mask-draft.ts).
  const savedMasks = useRoot(selectCameraMasks(camera.id));
  const masksError = useRoot(selectMasksLoadError(camera.id));
  const [maskState, maskDispatch] = useReducer(editorReducer, [] as Rule[], (r: Rule[]) => initialEditorState(r, 'masks'));
  const [layer, setLayer] = useState<EditLayer>('rules');
  const [maskSaving, setMaskSaving] = useState(false);
  const onMasks = layer === 'masks';
  /** The editor being edited now; the other layer is drawn faint. */
  const state = onMasks ? maskState : ruleState;
  const rawDispatch = onMasks ? maskDispatch : ruleDispatch;
  // Role-aware: a role that may not save rules (or masks) gets the editor read-only, before any work is done.
  const rulesPermission = usePermission('rules:save');
  const masksPermission = usePermission('masks:save');
  const canDryRun = usePermission('rules:dry-run').allowed;
  const editPermission = onMasks ? masksPermission : rulesPermission;
  const readOnly = !editPermission.allowed;
  const dispatch = useCallback(
    (ev: EditorEvent) => {
      const passed = readOnly ? readOnlyEvent(ev) : ev;
      if (passed) rawDispatch(passed);
    },
    [readOnly, rawDispatch],
  );
  const [saveProblems, setSaveProblems] = useState<RuleProblemView[]>([]);
  const [box, size] = useElementSize<HTMLDivElement>();
  const [dims, setDims] = useState(DEFAULT_DIMS);
  const imageRef = useRef<Konva.Image>(null);
  const rulesGroupRef = useRef<Konva.Group>(null);
  const stageBoxRef = useRef<HTMLDivElement | null>(null);
  // A stable ref callback: an inline one re-attaches the size observer on every render, and its first
  // measurement (clientWidth/Height, rounded) can differ from the observer's (floored), re-rendering forever.
  const stageRef = useCallback(
    (el: HTMLDivElement | null) => {
      stageBoxRef.current = el;
      box(el);
    },
    [box],
  );
  const rules = currentRules(ruleState);
  const maskZones = currentRules(maskState) as MaskZone[];
  /** What the tools act on: rules or masks. */
  const items = onMasks ? maskZones : rules;
  const selectedId = selectedRuleId(state);
  const selected = items.find((r) => r.id === selectedId) ?? null;
  const selectedMask = onMasks ? asMaskZone(selected) : null;
  const fit = useMemo(() => fitContain(dims.w, dims.h, size.w, size.h), [dims, size]);
  const problems = useMemo(() => (onMasks ? validateMasks(maskZones) : validateRules(rules)), [onMasks, maskZones, rules]);
  const shownProblems = problems.length > 0 ? problems : saveProblems;
  const dirty = isDirty(state);
  const saving = onMasks ? maskSaving : rulesSaving;
  const lifts = savedMasks?.lifts ?? [];
  const tz = useRoot(selectTimeZone);
  const lifted = useMemo(() => Object.fromEntries((savedMasks?.lifts ?? []).map((l) => [l.maskId, formatTime(l.until, tz, 'minute')])), [savedMasks, tz]);

  useEffect(() => ensureRules(camera.id), [camera.id, ensureRules]);
  useEffect(() => ensureMasks(camera.id), [camera.id, ensureMasks]);
  // The saved rules become the document when they arrive, unless the officer already started editing.
  const dirtyRef = useRef(isDirty(ruleState));
  dirtyRef.current = isDirty(ruleState);
  useEffect(() => {
    if (loaded && !dirtyRef.current) ruleDispatch({ type: 'load', rules: savedRules });
  }, [loaded, savedRules]);
  const maskDirtyRef = useRef(isDirty(maskState));
  maskDirtyRef.current = isDirty(maskState);
  const maskPresentRef = useRef(maskZones);
  maskPresentRef.current = maskZones;
  useEffect(() => {
    if (!savedMasks || maskDirtyRef.current) return;
    // A lift or restore changes only the lifts: keep the document (and the selection) when the masks are the same.
    if (JSON.stringify(zonesToMasks(maskPresentRef.current)) === JSON.stringify(savedMasks.masks)) return;
    maskDispatch({ type: 'load', rules: masksToZones(savedMasks.masks) });
  }, [savedMasks]);
  useEffect(() => setSaveProblems([]), [rules, maskZones, layer]);
  useEditorKeys(dispatch);

  // Video layer: frames bypass React; only a change of frame size re-renders.
  const sizeRef = useRef(size);
  sizeRef.current = size;
  useEffect(() => {
    const pipeline = new TileFrameScheduler<ImageBitmap>({
      decode: (jpeg) => createImageBitmap(new Blob([jpeg as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' })),
      requestFrame: (cb) => requestAnimationFrame(cb),
      cancelFrame: (h) => cancelAnimationFrame(h as number),
      paint: (picture: ImageBitmap, frame: LiveFrame) => {
        const img = imageRef.current;
        if (!img) return;
        const w = frame.width || picture.width;
        const h = frame.height || picture.height;
        setDims((d) => (d.w === w && d.h === h ? d : { w, h }));
        const f = fitContain(w, h, sizeRef.current.w, sizeRef.current.h);
        img.setAttrs({ image: picture, x: f.x, y: f.y, width: f.width, height: f.height });
        img.getLayer()?.batchDraw();
      },
    });
    const off = subscribeFrames(camera.id, (f) => pipeline.push(f));
    return () => {
      off();
      pipeline.dispose();
    };
  }, [camera.id, subscribeFrames]);

  // Rules layer, masks above it (the layer not being edited is drawn faint).
  const masksGroupRef = useRef<Konva.Group>(null);
  useEffect(() => {
    const g = rulesGroupRef.current;
    if (!g) return;
    paintRules(g, rules, fit, { counters, selectedId: onMasks ? null : selectedId });
    g.opacity(onMasks ? 0.35 : 1);
    g.getLayer()?.batchDraw();
  }, [rules, fit, counters, selectedId, size, onMasks]);
  useEffect(() => {
    const g = masksGroupRef.current;
    if (!g) return;
    paintMasks(g, maskZones, fit, { selectedId: onMasks ? selectedId : null, lifted, dimmed: !onMasks });
    g.getLayer()?.batchDraw();
  }, [maskZones, fit, selectedId, size, onMasks, lifted]);

  const pointer = (e: ReactPointerEvent<HTMLDivElement>): [number, number] => {
    const r = e.currentTarget.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  const draftStart = state.tool.kind === 'drawing-zone' ? (state.tool.points[0] ?? null) : null;
  const hitAt = (px: [number, number]) => hitTest(items, px, fit, { selectedId, draftStart });
  const send = (ev: EditorEvent) => dispatch(ev);

  async function save() {
    if (problems.length > 0) return;
    if (onMasks) {
      setMaskSaving(true);
      try {
        const v = await saveMasks(camera.id, zonesToMasks(maskZones));
        maskDispatch({ type: 'saved', rules: masksToZones(v.masks) });
      } catch (e) {
        setSaveProblems([{ ruleId: null, message: errorMessage(e) }]);
      } finally {
        setMaskSaving(false);
      }
      return;
    }
    try {
      const v = await saveRules(camera.id, rules);
      dispatch({ type: 'saved', rules: v.rules });
    } catch (e) {
      setSaveProblems(problemsFromSaveError(rules, errorMessage(e), errorDetails(e)));
    }
  }

  const tool = state.tool;
  const drawing = tool.kind === 'drawing-line' || tool.kind === 'drawing-zone' ? tool : null;
  const draftPts = drawing ? [...drawing.points, ...(drawing.cursor ? [drawing.cursor] : [])] : [];
  const hint = onMasks ? t.privacy.hintMasks : state.mode === 'line' ? t.rules.hintLine : state.mode === 'zone' ? t.rules.hintZone : t.rules.hintSelect;
  return (
    <section className="page page--rules" aria-labelledby="rules-title" data-testid="rules-editor" data-camera-id={camera.id} data-dirty={dirty} data-read-only={readOnly}>
      <div className="toolbar">
        <button type="button" className="btn" data-testid="rules-back" onClick={() => openRulesEditor(null)}>
          ← {t.rules.back}
        </button>
        <h1 id="rules-title" className="page__title">
          {t.rules.title(camera.name)}
        </h1>
        <div className="seg" role="group" aria-label={t.privacy.layer}>
          {(['rules', 'masks'] as const).map((l) => (
            <button key={l} type="button" className={`btn${l === 'masks' ? ' btn--mask-layer' : ''}`} aria-pressed={layer === l} data-testid={`layer-${l}`} disabled={state.tool.kind !== 'idle'} onClick={() => setLayer(l)}>
              {l === 'rules' ? t.privacy.layerRules : t.privacy.layerMasks}
            </button>
          ))}
        </div>
        {readOnly ? (
          <p className="muted small rules-editor__read-only" data-testid="rules-read-only" title={editPermission.reason}>
            {t.auth.permission.readOnlyRules(t.auth.roles.supervisor ?? 'supervisor')}
          </p>
        ) : (
          <>
            <div className="seg" role="group" aria-label={t.rules.tools}>
              {(onMasks ? MASK_MODES : MODES).map((m) => (
                <button key={m.mode} type="button" className="btn" aria-pressed={state.mode === m.mode} data-testid={`tool-${m.mode}`} onClick={() => send({ type: 'set-mode', mode: m.mode })}>
                  {m.label}
                </button>
              ))}
            </div>
            <button type="button" className="btn" data-testid="rules-undo" disabled={!canUndo(state.history)} onClick={() => send({ type: 'undo' })} title="Ctrl+Z">
              {t.rules.undo}
            </button>
            <button type="button" className="btn" data-testid="rules-redo" disabled={!canRedo(state.history)} onClick={() => send({ type: 'redo' })} title="Ctrl+Shift+Z">
              {t.rules.redo}
            </button>
            <div className="toolbar__group">
              <span className="muted small" data-testid="rules-status" role="status">
                {saving ? t.rules.saving : onMasks ? (dirty ? t.privacy.unsaved : savedMasks ? t.privacy.saved : '') : dirty ? t.rules.unsaved : loaded ? t.rules.saved : ''}
              </span>
              <button type="button" className="btn" disabled={!dirty || saving} onClick={() => send({ type: 'load', rules: onMasks ? masksToZones(savedMasks?.masks ?? []) : savedRules })} data-testid="rules-revert">
                {t.rules.revert}
              </button>
              <button type="button" className="btn btn--primary" data-testid="rules-save" disabled={saving || !dirty || problems.length > 0} onClick={() => void save()}>
                {saving ? t.rules.saving : onMasks ? t.privacy.saveMasks : t.rules.save}
              </button>
            </div>
          </>
        )}
      </div>
      {!readOnly && (
        <p className="rules-editor__hint" data-testid="rules-hint">
          {hint}
        </p>
      )}
      {loadError && <p className="banner banner--bad">{t.rules.loadFailed(loadError)}</p>}
      {masksError && <p className="banner banner--bad">{t.privacy.loadFailed(masksError)}</p>}
      {shownProblems.length > 0 && (
        <div role="alert">
          <p className="muted small" style={{ margin: '0 0 4px' }}>
            {t.rules.problems}
          </p>
          <ul className="rules-problems" data-testid="rules-problems">
            {shownProblems.map((p, i) => (
              <li key={i}>{p.message}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="rules-editor">
        <div
          ref={stageRef}
          className={`rules-editor__stage${state.mode !== 'select' ? ' rules-editor__stage--draw' : ''}${onMasks ? ' rules-editor__stage--masks' : ''}`}
          data-testid="rules-stage"
          data-layer={layer}
          data-mode={state.mode}
          data-tool={tool.kind}
          data-fit={`${fit.x},${fit.y},${fit.width},${fit.height}`}
          onPointerDown={(e) => {
            if (e.button !== 0) return;
            e.currentTarget.setPointerCapture?.(e.pointerId);
            const px = pointer(e);
            send({ type: 'pointer-down', p: toFrame(px, fit), hit: hitAt(px), alt: e.altKey, shift: e.shiftKey });
          }}
          onPointerMove={(e) => {
            if (tool.kind !== 'idle') send({ type: 'pointer-move', p: toFrame(pointer(e), fit) });
          }}
          onPointerUp={(e) => send({ type: 'pointer-up', p: toFrame(pointer(e), fit) })}
          onDoubleClick={(e) => {
            const r = e.currentTarget.getBoundingClientRect();
            const px: [number, number] = [e.clientX - r.left, e.clientY - r.top];
            send({ type: 'double-click', p: toFrame(px, fit), hit: hitAt(px) });
          }}
        >
          {size.w > 0 && size.h > 0 && (
            <Stage width={size.w} height={size.h} listening={false}>
              <Layer listening={false}>
                <KImage ref={imageRef} image={undefined} />
              </Layer>
              <Layer listening={false}>
                <Group ref={rulesGroupRef} />
                <Group ref={masksGroupRef} />
              </Layer>
              <Layer listening={false}>
                {selected &&
                  selected.points.map((p, i) => {
                    const [x, y] = toStage(p, fit);
                    const on = state.selection.kind === 'vertex' && state.selection.index === i;
                    return <Circle key={i} x={x} y={y} radius={on ? 7 : 5.5} fill={on ? '#ffffff' : selectedMask ? '#eceff1' : ruleColour(selected)} stroke="#0b0f14" strokeWidth={2} />;
                  })}
                {drawing && (
                  <Group>
                    <Line points={toStagePoints(draftPts, fit)} closed={drawing.kind === 'drawing-zone' && draftPts.length > 2} stroke="#ffffff" strokeWidth={2} dash={[6, 5]} fill={drawing.kind === 'drawing-zone' ? (onMasks ? 'rgba(0,0,0,0.45)' : 'rgba(79,195,247,0.15)') : undefined} />
                    {drawing.points.map((p, i) => {
                      const [x, y] = toStage(p, fit);
                      const closer = i === 0 && drawing.kind === 'drawing-zone' && drawing.points.length >= 3;
                      return <Circle key={i} x={x} y={y} radius={closer ? 8 : 5} fill={closer ? '#ffca28' : '#ffffff'} stroke="#0b0f14" strokeWidth={2} />;
                    })}
                  </Group>
                )}
              </Layer>
            </Stage>
          )}
        </div>
        <aside className="rules-editor__side" aria-label={t.rules.list}>
          {onMasks ? (
            <>
              {selectedMask && (
                <fieldset className="rules-editor__fields" disabled={readOnly} title={readOnly ? editPermission.reason : undefined}>
                <MaskProperties
                  mask={selectedMask}
                  lift={lifts.find((l) => l.maskId === selectedMask.id) ?? null}
                  saved={!dirty && !!savedMasks?.masks.some((m) => m.id === selectedMask.id)}
                  dispatch={dispatch}
                  onLift={(maskId, minutes, reason) => liftMask(camera.id, maskId, minutes, reason)}
                  onRestore={(maskId) => restoreMask(camera.id, maskId)}
                />
                </fieldset>
              )}
              <MaskList masks={maskZones} lifts={lifts} selectedId={selectedId} dispatch={dispatch} />
            </>
          ) : (
            <>
              {selected && (
                <fieldset className="rules-editor__fields" disabled={readOnly} title={readOnly ? editPermission.reason : undefined}>
                  <RuleProperties rule={selected} dispatch={dispatch} />
                </fieldset>
              )}
              {selected && canDryRun && <RuleDryRun cameraId={camera.id} rule={selected} />}
              <RuleList rules={rules} counters={counters} selectedId={selectedId} dispatch={dispatch} />
            </>
          )}
        </aside>
      </div>
    </section>
  );
}
