import { t } from '../i18n/en';
import { CameraInputSchema, parseSource, type CameraInput, type CameraView } from '../../../shared/domain/camera';
import { DEFAULT_TILE_OVERLAP, type DetectionTiling } from '../../../shared/domain/detection-tiling';
import { DEFAULT_MOTION_GATING, type MotionGating, type MotionSensitivity } from '../../../shared/domain/motion-gating';

/** The tile grids the form offers ('columns x rows'); '' = off. */
export const TILING_GRIDS: readonly { columns: number; rows: number }[] = [
  { columns: 2, rows: 1 },
  { columns: 2, rows: 2 },
  { columns: 3, rows: 2 },
];

/** Form values as typed (strings for inputs), converted to a CameraInput on submit. */
export interface CameraFormValues {
  name: string;
  source: string;
  rtspTransport: 'tcp' | 'udp';
  analysisFps: string;
  enabled: boolean;
  /** '' = site default. */
  modelId: string;
  /** Tiled detection grid 'CxR'; '' = off. */
  tilingGrid: string;
  /** Tiled detection: the whole frame as one more input. */
  tilingWhole: boolean;
  /** Tiled detection overlap, kept as it was saved (the form does not edit it). */
  tilingOverlap: number;
  /** Motion-gated detection: 'off' (look at every picture) or the sensitivity. */
  motion: 'off' | MotionSensitivity;
}

const gatingFrom = (motion: CameraFormValues['motion'], before: MotionGating | undefined): MotionGating =>
  motion === 'off' ? { enabled: false, sensitivity: before?.sensitivity ?? DEFAULT_MOTION_GATING.sensitivity } : { enabled: true, sensitivity: motion };
const motionValue = (g: MotionGating | undefined): CameraFormValues['motion'] => {
  const m = g ?? DEFAULT_MOTION_GATING;
  return m.enabled ? m.sensitivity : 'off';
};

/** The tiling the form values ask for (null = off). */
export function tilingFrom(v: Pick<CameraFormValues, 'tilingGrid' | 'tilingWhole' | 'tilingOverlap'>): DetectionTiling | null {
  const m = /^(\d)x(\d)$/.exec(v.tilingGrid);
  if (!m) return null;
  return { columns: Number(m[1]), rows: Number(m[2]), overlap: v.tilingOverlap, wholeFrame: v.tilingWhole };
}

type TilingLike = Pick<DetectionTiling, 'columns' | 'rows'> & Partial<Pick<DetectionTiling, 'overlap' | 'wholeFrame'>>;
const sameTiling = (a: TilingLike | null | undefined, b: TilingLike | null | undefined): boolean =>
  (a ?? null) === (b ?? null) || (!!a && !!b && a.columns === b.columns && a.rows === b.rows && a.overlap === b.overlap && a.wholeFrame === b.wholeFrame);

export function formValuesFrom(c: CameraView | null): CameraFormValues {
  const tiling = c?.detectionTiling ?? null;
  const tilingValues = { tilingGrid: tiling ? `${tiling.columns}x${tiling.rows}` : '', tilingWhole: tiling?.wholeFrame ?? false, tilingOverlap: tiling?.overlap ?? DEFAULT_TILE_OVERLAP, motion: motionValue(c?.motionGating) };
  return c
    ? { name: c.name, source: c.source, rtspTransport: c.rtspTransport, analysisFps: String(c.analysisFps), enabled: c.enabled, modelId: c.modelId ?? '', ...tilingValues }
    : { name: '', source: '', rtspTransport: 'tcp', analysisFps: '10', enabled: true, modelId: '', ...tilingValues };
}

/** Converts and validates form values with the shared schema; field -> message on failure. */
export function validateForm(v: CameraFormValues): { ok: true; input: CameraInput } | { ok: false; fields: Record<string, string> } {
  const input: CameraInput = {
    name: v.name,
    source: v.source.trim(),
    rtspTransport: v.rtspTransport,
    analysisFps: v.analysisFps.trim() === '' ? Number.NaN : Number(v.analysisFps),
    enabled: v.enabled,
    modelId: v.modelId === '' ? null : v.modelId,
    detectionTiling: tilingFrom(v),
    motionGating: gatingFrom(v.motion, undefined),
  };
  const r = CameraInputSchema.safeParse(input);
  if (r.success) return { ok: true, input };
  const fields: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const k = String(issue.path[0] ?? 'form');
    if (!(k in fields)) fields[k] = k === 'analysisFps' ? t.form.fpsRange : issue.message;
  }
  return { ok: false, fields };
}

/** Only the fields that changed, for cameras:update (an untouched masked source is left out). */
export function changedFields(before: CameraView, input: CameraInput): Partial<CameraInput> {
  const p: Partial<CameraInput> = {};
  if (input.name !== before.name) p.name = input.name;
  if (input.source !== before.source) p.source = input.source;
  if (input.rtspTransport !== before.rtspTransport) p.rtspTransport = input.rtspTransport;
  if (input.analysisFps !== before.analysisFps) p.analysisFps = input.analysisFps;
  if (input.enabled !== before.enabled) p.enabled = input.enabled;
  if ((input.modelId ?? null) !== before.modelId) p.modelId = input.modelId ?? null;
  if (!sameTiling(input.detectionTiling, before.detectionTiling)) p.detectionTiling = input.detectionTiling ?? null;
  const gating: MotionGating = { enabled: input.motionGating?.enabled ?? DEFAULT_MOTION_GATING.enabled, sensitivity: input.motionGating?.sensitivity ?? DEFAULT_MOTION_GATING.sensitivity };
  if (motionValue(gating) !== motionValue(before.motionGating)) p.motionGating = gating.enabled ? gating : gatingFrom('off', before.motionGating);
  return p;
}

/** Kind of a source as typed so far, null while it is not valid. */
export function sourceKind(s: string): string | null {
  try {
    return parseSource(s).kind;
  } catch {
    return null;
  }
}

