import Konva from 'konva';
import type { LiveFrame } from '../../../shared/domain/detection';
import { classColour } from './class-colour';
import { declutterLabels } from './label-declutter';
import { boxToFit, type Fit } from './tile-fit';

const LABEL_FONT = 12;
const SET_ASIDE_COLOUR = '#9aa4ae';
const MOTION_COLOUR = '#ffd54f';

/**
 * Redraws the detection group from one frame's detections (boxes, and class + score labels when enabled).
 * Returns the seq of the frame the overlay now shows, recorded on the group as `frameSeq`.
 */
export function paintDetections(group: Konva.Group, frame: LiveFrame, fit: Fit, show: { boxes: boolean; labels: boolean; motion?: boolean }): number {
  group.destroyChildren();
  group.setAttr('frameSeq', frame.seq);
  // what moved (motion-gated detection): thin, dashed, under the detections
  if (show.motion) {
    for (const m of frame.motionBoxes ?? []) {
      const r = boxToFit(m, fit);
      if (r.width >= 1 && r.height >= 1) group.add(new Konva.Rect({ ...r, stroke: MOTION_COLOUR, strokeWidth: 1, dash: [4, 4], listening: false, perfectDrawEnabled: false }));
    }
  }
  const dets = frame.detections;
  if (!dets || (!show.boxes && !show.labels)) return group.getAttr('frameSeq') as number;
  const labels: { text: Konva.Text; colour: string; box: ReturnType<typeof boxToFit>; score: number }[] = [];
  for (const d of dets) {
    const r = boxToFit(d.box, fit);
    if (r.width < 1 || r.height < 1) continue;
    // Set aside by the tracker (never moved: a sign, a parked vehicle): grey and dashed, and said not counted.
    const colour = d.setAside ? SET_ASIDE_COLOUR : classColour(d.cls);
    if (show.boxes) group.add(new Konva.Rect({ ...r, stroke: colour, strokeWidth: 2, ...(d.setAside ? { dash: [6, 4] } : {}), listening: false, perfectDrawEnabled: false }));
    if (show.labels) {
      const text = d.setAside ? `${d.cls} · not moving · not counted` : `${d.cls}${d.track !== undefined ? ` #${d.track}` : ''} ${Math.round(d.score * 100)}%`;
      labels.push({ text: new Konva.Text({ text, fontSize: LABEL_FONT, padding: 3, fill: '#0b0f14', fontStyle: 'bold' }), colour, box: r, score: d.setAside ? -1 : d.score });
    }
  }
  // Labels do not pile up in a crowd: the most confident are placed first, overlapping ones stack or are skipped.
  labels.sort((a, b) => b.score - a.score);
  const spots = declutterLabels(labels.map((l) => ({ width: l.text.width(), height: l.text.height(), box: l.box })), fit.y);
  labels.forEach((l, i) => {
    const spot = spots[i];
    if (!spot) return l.text.destroy();
    const label = new Konva.Label({ x: spot.x, y: spot.y, listening: false });
    label.add(new Konva.Tag({ fill: l.colour, opacity: 0.9 }));
    label.add(l.text);
    group.add(label);
  });
  return group.getAttr('frameSeq') as number;
}
