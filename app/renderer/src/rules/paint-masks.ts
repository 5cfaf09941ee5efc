import Konva from 'konva';
import type { Fit } from '../live/tile-fit';
import { t } from '../i18n/en';
import { toStage, toStagePoints } from './frame-coords';
import { MASK_COLOUR, type MaskZone } from './mask-draft';

const LIFTED = '#ff7043';

export interface PaintMasksOptions {
  selectedId?: string | null;
  /** Mask id -> local time its lift ends ("14:05"), for lifted masks. */
  lifted?: Record<string, string>;
  /** Drawn faint (another layer is being edited). */
  dimmed?: boolean;
}

/**
 * Redraws the masks group in the editor's own look for masks: a dark (solid) or grey (blur) hatched fill with a
 * dashed grey outline; a lifted mask is outlined in orange with its end time. The picture underneath already
 * has the masks burned in by the camera; this layer shows where they are and makes them editable.
 */
export function paintMasks(group: Konva.Group, masks: readonly MaskZone[], fit: Fit, opts: PaintMasksOptions = {}): void {
  group.destroyChildren();
  if (fit.width <= 0 || fit.height <= 0) return;
  for (const m of masks) {
    const selected = m.id === opts.selectedId;
    const until = opts.lifted?.[m.id];
    const stroke = until ? LIFTED : MASK_COLOUR;
    const g = new Konva.Group({ opacity: opts.dimmed ? 0.5 : 1, listening: false });
    const pts = toStagePoints(m.points, fit);
    g.add(new Konva.Line({ points: pts, closed: true, fill: m.style === 'solid' ? '#000000' : '#607d8b', opacity: until ? 0.15 : selected ? 0.55 : 0.4, listening: false, perfectDrawEnabled: false }));
    g.add(new Konva.Line({ points: pts, closed: true, stroke, strokeWidth: selected ? 3 : 2, dash: [5, 4], listening: false }));
    if (m.points.length > 0) {
      const top = m.points.reduce((best, p) => (p[1] < best[1] ? p : best), m.points[0]!);
      const [x, y] = toStage(top, fit);
      const name = m.name || m.id;
      const label = new Konva.Label({ x: Math.max(fit.x, x + 4), y: Math.max(fit.y, y - 26), listening: false });
      label.add(new Konva.Tag({ fill: 'rgba(7,10,14,0.85)', stroke, strokeWidth: 1, cornerRadius: 3, dash: [3, 2] }));
      label.add(new Konva.Text({ text: until ? t.privacy.liftedLabel(name, until) : t.privacy.styleLabel(name, m.style), fontSize: 12, padding: 4, fill: '#f5f7fa', fontStyle: 'italic bold' }));
      g.add(label);
    }
    group.add(g);
  }
}
