import { useId, useState } from 'react';
import type { CameraInput, CameraView } from '../../../shared/domain/camera';
import type { ModelView } from '../../../shared/domain/model';
import { t } from '../i18n/en';
import type { OpError } from '../store/cameras/cameras.state';
import { modelInputsPerFrame } from '../../../shared/domain/detection-tiling';
import { MOTION_SENSITIVITY_LABELS, MotionSensitivitySchema } from '../../../shared/domain/motion-gating';
import { formValuesFrom, sourceKind, TILING_GRIDS, tilingFrom, validateForm, type CameraFormValues } from './camera-form-model';
import { hasMaskedCredentials } from '../../../shared/url-masking';
import { CameraRecordingSection } from '../recording/camera-recording-section';
import { CameraFacesSection } from '../watchlist/camera-faces-section';

interface Props {
  camera: CameraView | null;
  models: ModelView[] | null;
  busy: boolean;
  serverError: OpError | undefined;
  onSubmit(input: CameraInput): void;
  onCancel(): void;
}

/** Add/edit form for one camera, validated client-side with CameraInputSchema; host errors shown per field. */
export function CameraForm({ camera, models, busy, serverError, onSubmit, onCancel }: Props) {
  const [v, setV] = useState<CameraFormValues>(() => formValuesFrom(camera));
  const [local, setLocal] = useState<Record<string, string>>({});
  const id = useId();
  const set = <K extends keyof CameraFormValues>(k: K, val: CameraFormValues[K]) => {
    setV((o) => ({ ...o, [k]: val }));
    setLocal((o) => {
      if (!(k in o)) return o;
      const { [k]: _drop, ...rest } = o;
      return rest;
    });
  };
  const fieldError = (k: string) => local[k] ?? serverError?.fields[k];
  const isRtsp = sourceKind(v.source) === 'rtsp';
  const masked = camera !== null && hasMaskedCredentials(v.source);
  const generalServerError = serverError ? serverError.message : null;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const r = validateForm(v);
    if (!r.ok) {
      setLocal(r.fields);
      return;
    }
    setLocal({});
    onSubmit(r.input);
  };

  const field = (k: keyof CameraFormValues, label: string, control: React.ReactNode, hint?: string) => {
    const err = fieldError(k);
    return (
      <div className={`field${err ? ' field--error' : ''}`}>
        <label htmlFor={`${id}-${k}`}>{label}</label>
        {control}
        {hint && <p className="field__hint" id={`${id}-${k}-hint`}>{hint}</p>}
        {err && (
          <p className="field__error" id={`${id}-${k}-err`} data-testid={`error-${k}`} role="alert">
            {err}
          </p>
        )}
      </div>
    );
  };
  const describedBy = (k: string, hint: boolean) => [hint ? `${id}-${k}-hint` : '', fieldError(k) ? `${id}-${k}-err` : ''].filter(Boolean).join(' ') || undefined;

  return (
    <form className="card form" onSubmit={submit} noValidate data-testid="camera-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{camera ? t.form.editTitle(camera.name) : t.form.addTitle}</h2>
      {(Object.keys(local).length > 0 || generalServerError) && (
        <p className="form__error" role="alert" data-testid="form-error">
          {generalServerError ?? t.form.fixErrors}
        </p>
      )}
      {field('name', t.form.name, <input id={`${id}-name`} name="name" value={v.name} autoFocus aria-invalid={!!fieldError('name')} aria-describedby={describedBy('name', false)} onChange={(e) => set('name', e.target.value)} />)}
      {field(
        'source',
        t.form.source,
        <input id={`${id}-source`} name="source" value={v.source} spellCheck={false} autoComplete="off" aria-invalid={!!fieldError('source')} aria-describedby={describedBy('source', true)} onChange={(e) => set('source', e.target.value)} />,
        masked ? `${t.form.sourceHint} ${t.form.maskedHint}` : t.form.sourceHint,
      )}
      {isRtsp &&
        field(
          'rtspTransport',
          t.form.transport,
          <select id={`${id}-rtspTransport`} name="rtspTransport" value={v.rtspTransport} onChange={(e) => set('rtspTransport', e.target.value as 'tcp' | 'udp')}>
            <option value="tcp">TCP</option>
            <option value="udp">UDP</option>
          </select>,
        )}
      <div className="form__row">
        {field('analysisFps', t.form.fps, <input id={`${id}-analysisFps`} name="analysisFps" type="number" min={0.5} max={30} step={0.5} inputMode="decimal" value={v.analysisFps} aria-invalid={!!fieldError('analysisFps')} aria-describedby={describedBy('analysisFps', false)} onChange={(e) => set('analysisFps', e.target.value)} />)}
        {field(
          'modelId',
          t.form.model,
          <select id={`${id}-modelId`} name="modelId" value={v.modelId} onChange={(e) => set('modelId', e.target.value)}>
            <option value="">{t.cameras.siteDefault}</option>
            {(models ?? []).map((m) => (
              <option key={m.id} value={m.id} disabled={m.status !== 'installed' && m.id !== v.modelId}>
                {m.name}
                {m.status !== 'installed' ? ` (${t.models.status[m.status] ?? m.status})` : ''}
              </option>
            ))}
          </select>,
        )}
      </div>
      {field(
        'tilingGrid',
        t.form.tiling,
        <select id={`${id}-tilingGrid`} name="tilingGrid" value={v.tilingGrid} aria-describedby={describedBy('tilingGrid', true)} data-testid="camera-tiling" onChange={(e) => set('tilingGrid', e.target.value)}>
          <option value="">{t.form.tilingOff}</option>
          {TILING_GRIDS.map((g) => (
            <option key={`${g.columns}x${g.rows}`} value={`${g.columns}x${g.rows}`}>
              {t.form.tilingGrid(g.columns, g.rows)}
            </option>
          ))}
          {v.tilingGrid !== '' && !TILING_GRIDS.some((g) => `${g.columns}x${g.rows}` === v.tilingGrid) && <option value={v.tilingGrid}>{v.tilingGrid}</option>}
        </select>,
        t.form.tilingCost(modelInputsPerFrame(tilingFrom(v))),
      )}
      {field(
        'motion',
        t.form.motion,
        <select id={`${id}-motion`} name="motion" value={v.motion} aria-describedby={describedBy('motion', true)} data-testid="camera-motion" onChange={(e) => set('motion', e.target.value as CameraFormValues['motion'])}>
          {MotionSensitivitySchema.options.map((s) => (
            <option key={s} value={s}>
              {t.form.motionOn(MOTION_SENSITIVITY_LABELS[s])}
            </option>
          ))}
          <option value="off">{t.form.motionOff}</option>
        </select>,
        t.form.motionHint,
      )}
      {v.tilingGrid !== '' && (
        <label className="switch">
          <input type="checkbox" name="tilingWhole" checked={v.tilingWhole} onChange={(e) => set('tilingWhole', e.target.checked)} />
          <span>{t.form.tilingWhole}</span>
        </label>
      )}
      <label className="switch">
        <input type="checkbox" name="enabled" checked={v.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        <span>{t.form.enabled}</span>
      </label>
      <CameraRecordingSection cameraId={camera?.id ?? null} />
      <CameraFacesSection cameraId={camera?.id ?? null} />
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={busy} data-testid="camera-save">
          {busy ? t.form.saving : t.form.save}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          {t.form.cancel}
        </button>
      </div>
    </form>
  );
}
