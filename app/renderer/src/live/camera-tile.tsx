import type Konva from 'konva';
import { useEffect, useRef, useState } from 'react';
import { Group, Image as KImage, Layer, Rect, Stage, Text } from 'react-konva';
import type { CameraView } from '../../../shared/domain/camera';
import type { LiveFrame } from '../../../shared/domain/detection';
import type { Rule } from '../../../shared/domain/rules';
import type { RuleCounter } from '../../../shared/ipc/rules.contract';
import { t } from '../i18n/en';
import { paintRules } from '../rules/paint-rules';
import { selectCameraCounters, selectCameraRules } from '../store/rules/rules.selectors';
import { selectOverlays } from '../store/ui/ui.selectors';
import { useActions, useRoot } from '../store/store';
import { usePermission } from '../auth/permission';
import { stateBadge, stateMessage, stateTone } from './camera-state-text';
import { TileFrameScheduler } from './tile-frame-scheduler';
import { paintDetections } from './paint-detections';
import { fitBetweenBars } from './tile-fit';
import { tileDebug } from './tile-debug';
import { useElementSize, useNow } from './tile-hooks';

const TONE_FILL = { ok: '#1b5e20', warn: '#8a5a00', bad: '#8e1c1c', idle: '#37474f' } as const;
const HUD_FONT = 13;
/** Heights of the header (camera name, state) and footer (figures) bands: the picture is fitted between them. */
const HEADER_H = 28;
const FOOTER_H = 22;

/** Formats the HUD figures of a frame (analysis fps, inference time, dropped frames). */
export function hudStats(f: LiveFrame): string {
  const parts: string[] = [];
  if (f.stats) parts.push(t.live.fps(f.stats.analysisFps));
  if (typeof f.inferenceMs === 'number') parts.push(t.live.inference(f.inferenceMs));
  if (f.stats && f.stats.droppedFrames > 0) parts.push(t.live.dropped(f.stats.droppedFrames));
  if (typeof f.reducedFps === 'number') parts.push(t.live.reduced(f.reducedFps));
  return parts.join(' · ');
}

/**
 * One live camera: a Konva stage with a video layer, a detection layer drawn from the same LiveFrame as the
 * picture, and a HUD. Frames bypass React and the store: the subscription feeds a TileFrameScheduler that paints
 * Konva nodes directly on animation frames.
 */
/** A button a tile shows in its header band: short visible text, the full action as its accessible name. */
export interface TileHeaderAction {
  short: string;
  label: string;
  testId: string;
  onClick(): void;
}
/** Width kept for a header action (px). */
const HEADER_ACTION_W = 44;

export function CameraTile({
  camera,
  focused,
  onToggleFocus,
  highlightRuleId = null,
  toggleOn = 'click',
  rulesButton = 'always',
  headerAction,
}: {
  camera: CameraView;
  focused: boolean;
  onToggleFocus(): void;
  /** Rule drawn highlighted (the alarm's rule on the alarm monitor, an event's rule from the events list). */
  highlightRuleId?: string | null;
  /** What toggles full-window besides Enter: a click (automatic grid) or a double-click (layouts). */
  toggleOn?: 'click' | 'dblclick';
  /** The rules button: on every tile ("View rules" to a role that may not change them), or only to roles that may edit. */
  rulesButton?: 'always' | 'editors';
  /** A small button in the tile's header band, left of the state badge (e.g. a layout's "Span 2×2"): never over the picture. */
  headerAction?: TileHeaderAction;
}) {
  const { subscribeFrames, ensureRules, openRulesEditor } = useActions();
  const overlays = useRoot(selectOverlays);
  const canEditRules = usePermission('rules:save').allowed;
  const showRulesButton = canEditRules || rulesButton === 'always';
  const rules = useRoot(selectCameraRules(camera.id));
  const counters = useRoot(selectCameraCounters(camera.id));
  const rulesGroupRef = useRef<Konva.Group>(null);
  const frameDimsRef = useRef({ w: 0, h: 0 });
  const rulesRef = useRef<{ rules: readonly Rule[]; counters: Record<string, RuleCounter>; highlight: string | null }>({ rules, counters, highlight: highlightRuleId });
  const [box, size] = useElementSize<HTMLDivElement>();
  const [hasPicture, setHasPicture] = useState(false);
  const imageRef = useRef<Konva.Image>(null);
  const videoLayerRef = useRef<Konva.Layer>(null);
  const detGroupRef = useRef<Konva.Group>(null);
  const hudStatsRef = useRef<Konva.Text>(null);
  const sizeRef = useRef(size);
  const overlaysRef = useRef(overlays);
  const pipelineRef = useRef<TileFrameScheduler<ImageBitmap> | null>(null);
  const linkUp = useRoot((s) => s.app.connection.state === 'open');
  const st = camera.state;
  const live = st.type === 'online' && linkUp;
  const now = useNow(st.type === 'reconnecting' || st.type === 'stalled');
  // Without the host link the state shown may be stale: say so instead of pretending to be live.
  const message = linkUp ? stateMessage(st, now) : t.live.noLink;

  // Rules and counters change rarely: they are painted on their own layer, outside the frame path.
  const paintRuleOverlay = useRef(() => {
    const group = rulesGroupRef.current;
    if (!group) return;
    const { w, h } = sizeRef.current;
    const dims = frameDimsRef.current;
    paintRules(group, rulesRef.current.rules, fitBetweenBars(dims.w, dims.h, w, h, HEADER_H, FOOTER_H), { counters: rulesRef.current.counters, labels: overlaysRef.current.labels, selectedId: rulesRef.current.highlight });
    group.getLayer()?.batchDraw();
  }).current;
  useEffect(() => ensureRules(camera.id), [camera.id, ensureRules]);
  useEffect(() => {
    rulesRef.current = { rules, counters, highlight: highlightRuleId };
    paintRuleOverlay();
  }, [rules, counters, size, overlays, paintRuleOverlay, highlightRuleId]);

  // Frame subscription and pipeline: one per camera id, for the tile's lifetime.
  useEffect(() => {
    const dbg = tileDebug(camera.id);
    let first = true;
    const paint = (picture: ImageBitmap, frame: LiveFrame) => {
      const img = imageRef.current;
      const group = detGroupRef.current;
      if (!img || !group) return;
      const { w, h } = sizeRef.current;
      const fw = frame.width || picture.width;
      const fh = frame.height || picture.height;
      const fit = fitBetweenBars(fw, fh, w, h, HEADER_H, FOOTER_H);
      if (frameDimsRef.current.w !== fw || frameDimsRef.current.h !== fh) {
        frameDimsRef.current = { w: fw, h: fh };
        paintRuleOverlay();
      }
      img.setAttrs({ image: picture, x: fit.x, y: fit.y, width: fit.width, height: fit.height });
      const pictureSeq = frame.seq;
      const overlaySeq = paintDetections(group, frame, fit, overlaysRef.current);
      const hud = hudStats(frame);
      hudStatsRef.current?.text(hud);
      img.getLayer()?.batchDraw();
      group.getLayer()?.batchDraw();
      hudStatsRef.current?.getLayer()?.batchDraw();
      dbg.paintedFrames++;
      dbg.lastSeq = frame.seq;
      dbg.lastPts = frame.pts;
      dbg.lastPaintedAt = Date.now();
      if (dbg.paintLatencyMs.push(dbg.lastPaintedAt - frame.capturedAt) > 2000) dbg.paintLatencyMs.shift();
      dbg.hud = hud;
      dbg.lastBoxes = group.getChildren((n) => n.getClassName() === 'Rect').length;
      dbg.boxesPainted += dbg.lastBoxes;
      if (frame.detections !== null) {
        dbg.overlayTotal++;
        if (overlaySeq === pictureSeq) dbg.overlayMatches++;
      }
      if (first) {
        first = false;
        setHasPicture(true);
      }
    };
    const pipeline = new TileFrameScheduler<ImageBitmap>({
      decode: (jpeg) => createImageBitmap(new Blob([jpeg as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' })),
      requestFrame: (cb) => requestAnimationFrame(cb),
      cancelFrame: (h) => cancelAnimationFrame(h as number),
      paint,
    });
    pipelineRef.current = pipeline;
    const off = subscribeFrames(camera.id, (f) => pipeline.push(f));
    return () => {
      off();
      pipeline.dispose();
      pipelineRef.current = null;
      imageRef.current?.image(undefined);
    };
  }, [camera.id, subscribeFrames, paintRuleOverlay]);

  // Resize and overlay toggles repaint the frame on screen.
  useEffect(() => {
    sizeRef.current = size;
    overlaysRef.current = overlays;
    pipelineRef.current?.repaint();
  }, [size, overlays]);

  // The last picture stays, dimmed, while the camera is not online.
  useEffect(() => {
    const layer = videoLayerRef.current;
    if (!layer) return;
    layer.opacity(live ? 1 : 0.35);
    layer.batchDraw();
  }, [live]);

  const tone = linkUp ? stateTone(st) : 'warn';
  const badge = linkUp ? stateBadge(st) : t.connection.reconnecting;
  const badgeW = badge.length * 7.5 + 14;
  const actionW = headerAction ? HEADER_ACTION_W + 6 : 0;
  return (
    <div
      ref={box}
      className={`tile tile--${tone}${focused ? ' tile--focused' : ''}`}
      data-testid="camera-tile"
      data-camera-id={camera.id}
      data-state={st.type}
      data-focused={focused}
      role="group"
      aria-label={t.live.tileLabel(camera.name, badge)}
    >
      {size.w > 0 && size.h > 0 && (
        <Stage width={size.w} height={size.h} listening={false}>
          <Layer ref={videoLayerRef} listening={false}>
            <KImage ref={imageRef} image={undefined} />
          </Layer>
          <Layer listening={false}>
            <Group ref={rulesGroupRef} />
          </Layer>
          <Layer listening={false}>
            <Group ref={detGroupRef} />
          </Layer>
          <Layer listening={false}>
            <Rect x={0} y={0} width={size.w} height={HEADER_H} fill="rgba(0,0,0,0.6)" />
            <Text x={8} y={7} text={camera.name} fontSize={HUD_FONT + 1} fontStyle="bold" fill="#f5f7fa" width={Math.max(0, size.w - badgeW - actionW - 24)} ellipsis wrap="none" />
            <Rect x={size.w - badgeW - 6} y={4} width={badgeW} height={20} cornerRadius={10} fill={TONE_FILL[tone]} />
            <Text x={size.w - badgeW - 6} y={8} width={badgeW} align="center" text={badge} fontSize={HUD_FONT - 1} fontStyle="bold" fill="#ffffff" />
            <Rect x={0} y={size.h - FOOTER_H} width={size.w} height={FOOTER_H} fill="rgba(0,0,0,0.55)" />
            <Text ref={hudStatsRef} x={8} y={size.h - 17} text="" fontSize={HUD_FONT - 1} fill="#cfd8dc" fontFamily="monospace" />
          </Layer>
        </Stage>
      )}
      {/* Full-window toggle: a button over the picture, beside (not around) the tile's other buttons, so no control
          is nested in another (axe-core nested-interactive). Enter and Space work as on any button. */}
      <button
        type="button"
        className="tile__focus"
        data-testid="tile-focus"
        aria-pressed={focused}
        aria-label={t.live.fullWindow(camera.name)}
        onClick={toggleOn === 'click' ? onToggleFocus : undefined}
        onDoubleClick={toggleOn === 'dblclick' ? onToggleFocus : undefined}
        onKeyDown={(e) => {
          if (toggleOn === 'dblclick' && (e.key === 'Enter' || e.key === ' ')) {
            e.preventDefault();
            onToggleFocus();
          }
        }}
      />
      {headerAction && (
        <button
          type="button"
          className="btn btn--small tile__header-action"
          style={{ right: badgeW + 12, width: HEADER_ACTION_W }}
          aria-label={headerAction.label}
          title={headerAction.label}
          data-testid={headerAction.testId}
          onClick={(e) => {
            e.stopPropagation();
            headerAction.onClick();
          }}
          onDoubleClick={(e) => e.stopPropagation()}
          onKeyDown={(e) => e.stopPropagation()}
        >
          {headerAction.short}
        </button>
      )}
      {showRulesButton && (
        <button
          type="button"
          className="btn btn--small tile__edit"
          data-testid="edit-rules"
          onClick={(e) => {
            e.stopPropagation();
            openRulesEditor(camera.id);
          }}
          onKeyDown={(e) => e.stopPropagation()}
        >
          {canEditRules ? t.rules.editRules : t.rules.viewRules}
        </button>
      )}
      {message !== null ? (
        <div className={`tile__state tile__state--${tone}`} data-testid="tile-state" role="status">
          {message}
        </div>
      ) : (
        !hasPicture && (
          <div className="tile__state tile__state--wait" data-testid="tile-state" role="status">
            {t.live.waitingForPicture}
          </div>
        )
      )}
    </div>
  );
}
